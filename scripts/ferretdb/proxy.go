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
	// all is held shared by ordinary writes and exclusively by a write whose
	// database cannot be read from the message.
	all   sync.RWMutex
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func newWriteSerializer(backend string) *writeSerializer {
	return &writeSerializer{backend: backend, locks: map[string]*sync.Mutex{}}
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

// writeLockKey says which database a write command touches, or "" for a read.
// Anything it cannot read is treated as a write to all databases ("*").
func writeLockKey(msg []byte) string {
	if opCode(msg) != opMsg {
		return "" // legacy OP_QUERY is only used for the handshake
	}
	pos := 20
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if pos+4 > len(msg) {
			return "*"
		}
		size := int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
		if size < 5 || pos+size > len(msg) {
			return "*"
		}
		if kind == 0 {
			doc := bson.Raw(msg[pos : pos+size])
			elements, err := doc.Elements()
			if err != nil || len(elements) == 0 {
				return "*"
			}
			if readCommands[elements[0].Key()] {
				return ""
			}
			if db, ok := doc.Lookup("$db").StringValueOK(); ok {
				return db
			}
			return "*"
		}
		pos += size
	}
	return "*"
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
		switch key := writeLockKey(request); key {
		case "":
			err = s.roundTrip(client, server, request)
		case "*":
			s.all.Lock()
			err = s.roundTrip(client, server, request)
			s.all.Unlock()
		default:
			s.all.RLock()
			l := s.lockOf(key)
			l.Lock()
			err = s.roundTrip(client, server, request)
			l.Unlock()
			s.all.RUnlock()
		}
		if err != nil {
			return
		}
	}
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
