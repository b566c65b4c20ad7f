package main

// FerretDB 1.24's SQLite backend looks a document up by `_id` with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but indexes `_id` as
// `_ferretdb_sjson->"_id"`: SQLite matches index expressions as written, so
// every look-up, update and delete by `_id` scans the whole table (measured:
// an update by `_id` took 17 ms at 100 documents, 117 ms at 1,000). This adds
// an index on the very expression FerretDB queries, to each collection's
// table, the first time a write to it passes through the proxy (and again
// after a drop); that write has its collection to itself. FerretDB does not know about the index and needs not: it is
// only ever used by SQLite's planner, and goes with the table.

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"sync"

	_ "modernc.org/sqlite"
)

type idIndexer struct {
	dir string
	mu  sync.Mutex
	dbs map[string]*sql.DB
	// done holds "db\x00collection" for collections known to have the index.
	done map[string]bool
}

func newIDIndexer(dir string) *idIndexer {
	return &idIndexer{dir: dir, dbs: map[string]*sql.DB{}, done: map[string]bool{}}
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func (x *idIndexer) before(cmd command) {
	switch cmd.name {
	case "dropDatabase":
		x.forget(cmd.db)
	case "drop", "renameCollection":
		x.forgetCollection(cmd.db)
	}
}

func (x *idIndexer) after(cmd command) error {
	if cmd.collection == "" || cmd.name == "drop" {
		return nil
	}
	return x.ensure(cmd.db, cmd.collection)
}

func (x *idIndexer) needsCollectionLock(db, collection string) bool {
	if !plainName.MatchString(db) {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return !x.done[db+"\x00"+collection]
}

// forget closes our handle on a database about to be dropped and what we knew of it.
func (x *idIndexer) forget(db string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if h, ok := x.dbs[db]; ok {
		_ = h.Close()
		delete(x.dbs, db)
	}
	for key := range x.done {
		if len(key) > len(db) && key[:len(db)+1] == db+"\x00" {
			delete(x.done, key)
		}
	}
}

// forgetCollection: a dropped collection's table (and index) is gone.
func (x *idIndexer) forgetCollection(db string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for key := range x.done {
		if len(key) > len(db) && key[:len(db)+1] == db+"\x00" {
			delete(x.done, key)
		}
	}
}

// ensure adds the index to the collection's table if it is not known to have
// it. Called with the collection's lock held (needsCollectionLock), so no
// FerretDB write to that table runs beside it, and inside its database's
// lock, so no dropDatabase closes the handle meanwhile. Errors are reported,
// not fatal: without the index FerretDB is only slower.
func (x *idIndexer) ensure(db, collection string) error {
	if !plainName.MatchString(db) {
		return nil
	}
	// The map is ours to guard; the statements below are not, so that writes
	// to other collections do not wait for them.
	x.mu.Lock()
	key := db + "\x00" + collection
	if x.done[key] {
		x.mu.Unlock()
		return nil
	}
	h, ok := x.dbs[db]
	if !ok {
		file := filepath.Join(x.dir, db+".sqlite")
		var err error
		h, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
		if err != nil {
			x.mu.Unlock()
			return err
		}
		h.SetMaxOpenConns(1)
		x.dbs[db] = h
	}
	x.mu.Unlock()

	var table string
	err := h.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table)
	if err != nil {
		if err == sql.ErrNoRows {
			return nil // not created (yet): the next write tries again
		}
		return err
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"_flexins_id", table)
	if _, err := h.Exec(q); err != nil {
		return err
	}
	x.mu.Lock()
	x.done[key] = true
	x.mu.Unlock()
	return nil
}
