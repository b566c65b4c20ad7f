package main

// FerretDB 1.24 applies an update by reading the document and writing it back
// (see its handler/msg_update.go), with nothing in between to stop another
// connection doing the same: concurrent `$inc`s lose updates and two
// compare-and-set updates can both win. MongoDB makes every single-document
// write atomic, and the BFF's leases and counters rely on that. So this
// program puts a small wire-protocol proxy in front of FerretDB that lets only
// one write command per database run at a time; reads pass freely.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"

	"go.mongodb.org/mongo-driver/bson"
)

const (
	opMsg          = 2013
	headerLen      = 16
	maxMessageLen  = 48 * 1000 * 1000
	flagMoreToCome = 1 << 1
)

// Commands that never change data and so never wait for the write lock.
var readCommands = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listCollections": true, "listIndexes": true, "listDatabases": true, "killCursors": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"getParameter": true, "serverStatus": true, "dbStats": true, "collStats": true, "dataSize": true,
	"explain": true, "endSessions": true, "saslStart": true, "saslContinue": true, "whatsmyuri": true,
	"connectionStatus": true, "getLog": true, "hostInfo": true, "getCmdLineOpts": true,
	"getFreeMonitoringStatus": true, "currentOp": true, "validate": true, "usersInfo": true,
}

type writeSerializer struct {
	backend string
	ids     *idIndexer
	// all is held shared by ordinary writes and exclusively by a write whose
	// database cannot be read from the message.
	all   sync.RWMutex
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func newWriteSerializer(backend string, ids *idIndexer) *writeSerializer {
	return &writeSerializer{backend: backend, ids: ids, locks: map[string]*sync.Mutex{}}
}

func (s *writeSerializer) lockOf(db string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[db]
	if !ok {
		l = &sync.Mutex{}
		s.locks[db] = l
	}
	return l
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
	// db is the database a write touches, "" for a read, "*" when it cannot be told.
	db string
	// name and collection: the command and, for most writes, the collection it names.
	name, collection string
}

// parseCommand reads the command of a request. Anything it cannot read is
// treated as a write to all databases ("*").
func parseCommand(msg []byte) command {
	if opCode(msg) != opMsg {
		return command{} // legacy OP_QUERY is only used for the handshake
	}
	pos := 20
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if pos+4 > len(msg) {
			return command{db: "*"}
		}
		size := int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
		if size < 5 || pos+size > len(msg) {
			return command{db: "*"}
		}
		if kind == 0 {
			doc := bson.Raw(msg[pos : pos+size])
			elements, err := doc.Elements()
			if err != nil || len(elements) == 0 {
				return command{db: "*"}
			}
			name := elements[0].Key()
			if readCommands[name] {
				return command{name: name}
			}
			collection, _ := elements[0].Value().StringValueOK()
			if db, ok := doc.Lookup("$db").StringValueOK(); ok {
				return command{db: db, name: name, collection: collection}
			}
			return command{db: "*", name: name}
		}
		pos += size
	}
	return command{db: "*"}
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
		switch cmd.db {
		case "":
			err = s.roundTrip(client, server, request)
		case "*":
			s.all.Lock()
			err = s.roundTrip(client, server, request)
			s.all.Unlock()
		default:
			s.all.RLock()
			l := s.lockOf(cmd.db)
			l.Lock()
			err = s.write(client, server, request, cmd)
			l.Unlock()
			s.all.RUnlock()
		}
		if err != nil {
			return
		}
	}
}

// write forwards a write command (its database's lock held) and keeps the
// `_id` index of its collection in place (see idindex.go).
func (s *writeSerializer) write(client, server net.Conn, request []byte, cmd command) error {
	if s.ids != nil {
		switch cmd.name {
		case "dropDatabase":
			s.ids.forget(cmd.db)
		case "drop", "renameCollection":
			s.ids.forgetCollection(cmd.db)
		}
	}
	if err := s.roundTrip(client, server, request); err != nil {
		return err
	}
	if s.ids != nil && cmd.collection != "" && cmd.name != "drop" && cmd.name != "dropDatabase" {
		if err := s.ids.ensure(cmd.db, cmd.collection); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: _id index of %s.%s: %v\n", cmd.db, cmd.collection, err)
		}
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
