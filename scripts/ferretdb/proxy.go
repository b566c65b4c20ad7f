package main

// FerretDB 1.24 applies an update by reading the document and writing it back
// (see its handler/msg_update.go), with nothing in between to stop another
// connection doing the same: concurrent `$inc`s lose updates and two
// compare-and-set updates can both win, on SQLite and on PostgreSQL alike.
// MongoDB makes every single-document write atomic, and the BFF's leases and
// counters rely on that. So this program puts a small wire-protocol proxy in
// front of FerretDB that holds a lock around each write command, no wider
// than the documents the command can touch. Reads take no lock.
//
// Which write takes which lock (locks.go; taken in this order, so two
// commands never wait for each other in a circle):
//
//   - update, findAndModify and delete whose every statement's filter pins
//     `_id` (`{_id: v, …}`, `{_id: {$eq: v}, …}` or `{_id: {$in: [v, …]}, …}`):
//     those documents' locks, and their collection's lock shared. Writes to
//     other documents of the collection do not wait for them.
//   - insert: its collection's lock shared, no document lock (a new document
//     is nobody's read-then-write; a duplicate `_id` or unique key is refused
//     by the backend's unique index).
//   - any other update, findAndModify or delete (a filter without `_id`, such
//     as the job queue's lease), create, createIndexes, dropIndexes,
//     collMod, drop: its collection's lock exclusively, so nothing else
//     writes to that collection meanwhile.
//   - dropDatabase and any other write naming no collection: its database's
//     lock exclusively.
//   - a command whose database cannot be read (renameCollection, run on
//     admin, names two): every lock.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"go.mongodb.org/mongo-driver/bson"
)

const (
	opMsg          = 2013
	headerLen      = 16
	maxMessageLen  = 48 * 1000 * 1000
	flagMoreToCome = 1 << 1
)

// Commands that never change data and so never wait for a lock.
var readCommands = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listCollections": true, "listIndexes": true, "listDatabases": true, "killCursors": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"getParameter": true, "serverStatus": true, "dbStats": true, "collStats": true, "dataSize": true,
	"explain": true, "endSessions": true, "saslStart": true, "saslContinue": true, "whatsmyuri": true,
	"connectionStatus": true, "getLog": true, "hostInfo": true, "getCmdLineOpts": true,
	"getFreeMonitoringStatus": true, "currentOp": true, "validate": true, "usersInfo": true,
}

// Write commands whose statements carry filters, and the array holding them.
var statementArrays = map[string]string{"update": "updates", "delete": "deletes"}

// scope is how much a write command locks.
type scope int

const (
	scopeNone       scope = iota // a read
	scopeDocuments               // the pinned documents (and the collection, shared)
	scopeInsert                  // the collection, shared
	scopeCollection              // the collection, exclusively
	scopeDatabase                // the database, exclusively
	scopeAll                     // everything
)

// indexer keeps the backend's extra indexes in place after writes
// (idindex.go for SQLite, pgindex.go for PostgreSQL).
type indexer interface {
	// before is told of a write about to run (with its lock held).
	before(cmd command)
	// after is told of a write that ran; it returns an error only to be logged.
	after(cmd command) error
	// needsCollectionLock says the next write to this collection must have it to itself.
	needsCollectionLock(db, collection string) bool
}

type writeSerializer struct {
	backend string
	ids     indexer
	locks   *lockSet
}

func newWriteSerializer(backend string, ids indexer) *writeSerializer {
	return &writeSerializer{backend: backend, ids: ids, locks: newLockSet()}
}

func readMessage(r io.Reader) ([]byte, error) {
	header := make([]byte, headerLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, err
	}
	length := int(binary.LittleEndian.Uint32(header[0:4]))
	if length < headerLen || length > maxMessageLen {
		return nil, fmt.Errorf("bad message length %d", length)
	}
	msg := make([]byte, length)
	copy(msg, header)
	if _, err := io.ReadFull(r, msg[headerLen:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) uint32 { return binary.LittleEndian.Uint32(msg[12:16]) }

func moreToCome(msg []byte) bool {
	return opCode(msg) == opMsg && len(msg) >= 20 && binary.LittleEndian.Uint32(msg[16:20])&flagMoreToCome != 0
}

// command is what the proxy needs to know of a request.
type command struct {
	scope scope
	// name, db and collection: the command, its database and (for most writes) collection.
	name, db, collection string
	// ids: the pinned `_id`s (scopeDocuments), as lock keys.
	ids []string
	// body: the command document (for the indexers).
	body bson.Raw
}

// parseCommand reads the command of a request. Anything it cannot read is
// treated as a write to everything (scopeAll).
func parseCommand(msg []byte) command {
	if opCode(msg) != opMsg {
		return command{} // legacy OP_QUERY is only used for the handshake
	}
	var body bson.Raw
	// Kind-1 sections: a document sequence named like a field of the body
	// (drivers may send `updates`, `deletes`, `documents` so).
	sequences := map[string][]bson.Raw{}
	pos := 20
	end := len(msg)
	if binary.LittleEndian.Uint32(msg[16:20])&1 != 0 { // checksumPresent
		end -= 4
	}
	for pos < end {
		kind := msg[pos]
		pos++
		if pos+4 > end {
			return command{scope: scopeAll}
		}
		size := int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
		if size < 5 || pos+size > end {
			return command{scope: scopeAll}
		}
		switch kind {
		case 0:
			body = bson.Raw(msg[pos : pos+size])
		case 1:
			section := msg[pos+4 : pos+size]
			nul := 0
			for nul < len(section) && section[nul] != 0 {
				nul++
			}
			if nul == len(section) {
				return command{scope: scopeAll}
			}
			id := string(section[:nul])
			docs := section[nul+1:]
			for len(docs) > 0 {
				if len(docs) < 5 {
					return command{scope: scopeAll}
				}
				n := int(binary.LittleEndian.Uint32(docs[0:4]))
				if n < 5 || n > len(docs) {
					return command{scope: scopeAll}
				}
				sequences[id] = append(sequences[id], bson.Raw(docs[:n]))
				docs = docs[n:]
			}
		default:
			return command{scope: scopeAll}
		}
		pos += size
	}
	if body == nil {
		return command{scope: scopeAll}
	}
	elements, err := body.Elements()
	if err != nil || len(elements) == 0 {
		return command{scope: scopeAll}
	}
	name := elements[0].Key()
	if readCommands[name] {
		return command{name: name}
	}
	db, ok := body.Lookup("$db").StringValueOK()
	if !ok {
		return command{scope: scopeAll, name: name}
	}
	cmd := command{name: name, db: db, body: body}
	collection, ok := elements[0].Value().StringValueOK()
	if !ok || collection == "" || name == "dropDatabase" || name == "renameCollection" {
		if name == "renameCollection" {
			cmd.scope = scopeAll
		} else {
			cmd.scope = scopeDatabase
		}
		return cmd
	}
	cmd.collection = collection

	switch name {
	case "insert":
		cmd.scope = scopeInsert
	case "findAndModify", "findandmodify":
		cmd.scope = scopeCollection
		if query, err := body.LookupErr("query"); err == nil {
			if doc, ok := query.DocumentOK(); ok {
				if ids, ok := pinnedIDs(doc); ok {
					cmd.scope, cmd.ids = scopeDocuments, ids
				}
			}
		}
	case "update", "delete":
		cmd.scope = scopeCollection
		statements := sequences[statementArrays[name]]
		if array, err := body.LookupErr(statementArrays[name]); err == nil {
			values, err := array.Array().Values()
			if err != nil {
				return cmd
			}
			for _, v := range values {
				doc, ok := v.DocumentOK()
				if !ok {
					return cmd
				}
				statements = append(statements, doc)
			}
		}
		if len(statements) == 0 {
			return cmd
		}
		var all []string
		for _, statement := range statements {
			filter, ok := statement.Lookup("q").DocumentOK()
			if !ok {
				return cmd
			}
			ids, ok := pinnedIDs(filter)
			if !ok {
				return cmd
			}
			all = append(all, ids...)
		}
		cmd.scope, cmd.ids = scopeDocuments, all
	default:
		cmd.scope = scopeCollection
	}
	return cmd
}

// pinnedIDs returns the lock keys of the `_id`s a filter pins, if it pins
// any: `_id: v`, `_id: {$eq: v}` or `_id: {$in: [v, …]}` (the rest of the
// filter can only narrow that down further).
func pinnedIDs(filter bson.Raw) ([]string, bool) {
	v, err := filter.LookupErr("_id")
	if err != nil {
		return nil, false
	}
	if doc, ok := v.DocumentOK(); ok {
		elements, err := doc.Elements()
		if err != nil || len(elements) == 0 {
			return nil, false
		}
		first := elements[0].Key()
		if len(first) == 0 || first[0] != '$' {
			return []string{idKey(v)}, true // a document as the _id
		}
		if len(elements) != 1 {
			return nil, false
		}
		switch first {
		case "$eq":
			return []string{idKey(elements[0].Value())}, true
		case "$in":
			values, err := elements[0].Value().Array().Values()
			if err != nil || len(values) == 0 {
				return nil, false
			}
			keys := make([]string, 0, len(values))
			for _, value := range values {
				if value.Type == bson.TypeRegex {
					return nil, false
				}
				keys = append(keys, idKey(value))
			}
			return keys, true
		}
		return nil, false
	}
	if v.Type == bson.TypeRegex || v.Type == bson.TypeArray {
		return nil, false
	}
	return []string{idKey(v)}, true
}

// idKey names a value so that values MongoDB counts as equal share a lock
// (1, 1.0 and NumberLong(1) are the same `_id`).
func idKey(v bson.RawValue) string {
	switch v.Type {
	case bson.TypeString:
		return "s" + v.StringValue()
	case bson.TypeInt32:
		return fmt.Sprintf("n%v", float64(v.Int32()))
	case bson.TypeInt64:
		return fmt.Sprintf("n%v", float64(v.Int64()))
	case bson.TypeDouble:
		return fmt.Sprintf("n%v", v.Double())
	}
	return fmt.Sprintf("b%d:%x", v.Type, v.Value)
}

func (s *writeSerializer) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", s.backend)
	if err != nil {
		return
	}
	defer server.Close()

	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		cmd := parseCommand(request)
		if cmd.scope == scopeNone {
			err = s.roundTrip(client, server, request)
		} else {
			if (cmd.scope == scopeDocuments || cmd.scope == scopeInsert) && s.ids.needsCollectionLock(cmd.db, cmd.collection) {
				cmd.scope = scopeCollection
			}
			release := s.locks.acquire(cmd)
			err = s.write(client, server, request, cmd)
			release()
		}
		if err != nil {
			return
		}
	}
}

// write forwards a write command (its locks held) and keeps the backend's
// extra indexes in place.
func (s *writeSerializer) write(client, server net.Conn, request []byte, cmd command) error {
	s.ids.before(cmd)
	if err := s.roundTrip(client, server, request); err != nil {
		return err
	}
	if err := s.ids.after(cmd); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: index of %s.%s: %v\n", cmd.db, cmd.collection, err)
	}
	return nil
}

func (s *writeSerializer) roundTrip(client, server net.Conn, request []byte) error {
	if _, err := server.Write(request); err != nil {
		return err
	}
	if moreToCome(request) {
		return nil // fire-and-forget write: no reply comes
	}
	for {
		reply, err := readMessage(server)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !moreToCome(reply) {
			return nil
		}
	}
}

func (s *writeSerializer) listen(l net.Listener) error {
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.serve(conn)
	}
}
