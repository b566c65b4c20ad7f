package main

// The proxy's locks (see proxy.go for which command takes which): one
// read-write lock over everything, one per database, one per collection, and
// one per pinned document. A command takes them from the widest down, shared
// above its own level, and document locks in sorted order, so no two
// commands can wait for each other in a circle. Entries are counted and
// removed when nobody holds or waits for them: the tables stay as small as
// the writes in flight.

import (
	"slices"
	"sync"
)

type lockEntry struct {
	sync.RWMutex
	users int
}

type lockTable struct {
	mu      sync.Mutex
	entries map[string]*lockEntry
}

func (t *lockTable) get(key string) *lockEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.entries[key]
	if !ok {
		e = &lockEntry{}
		t.entries[key] = e
	}
	e.users++
	return e
}

func (t *lockTable) put(key string, e *lockEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e.users--
	if e.users == 0 {
		delete(t.entries, key)
	}
}

// lock takes the key's lock (exclusively or shared) and returns its release.
func (t *lockTable) lock(key string, exclusive bool) func() {
	e := t.get(key)
	if exclusive {
		e.Lock()
	} else {
		e.RLock()
	}
	return func() {
		if exclusive {
			e.Unlock()
		} else {
			e.RUnlock()
		}
		t.put(key, e)
	}
}

type lockSet struct {
	all                               sync.RWMutex
	databases, collections, documents lockTable
}

func newLockSet() *lockSet {
	return &lockSet{
		databases:   lockTable{entries: map[string]*lockEntry{}},
		collections: lockTable{entries: map[string]*lockEntry{}},
		documents:   lockTable{entries: map[string]*lockEntry{}},
	}
}

// acquire takes the locks a write command needs and returns their release.
func (l *lockSet) acquire(cmd command) func() {
	if cmd.scope == scopeAll {
		l.all.Lock()
		return l.all.Unlock
	}
	l.all.RLock()
	releases := []func(){l.all.RUnlock}
	releases = append(releases, l.databases.lock(cmd.db, cmd.scope == scopeDatabase))
	if cmd.scope != scopeDatabase {
		collection := cmd.db + "\x00" + cmd.collection
		releases = append(releases, l.collections.lock(collection, cmd.scope == scopeCollection))
		if cmd.scope == scopeDocuments {
			ids := slices.Clone(cmd.ids)
			slices.Sort(ids)
			for _, id := range slices.Compact(ids) {
				releases = append(releases, l.documents.lock(collection+"\x00"+id, true))
			}
		}
	}
	return func() {
		for i := len(releases) - 1; i >= 0; i-- {
			releases[i]()
		}
	}
}
