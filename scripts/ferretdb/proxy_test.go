package main

// Which lock each write command takes (proxy.go), and that the locks keep
// apart what they must and only that (locks.go). Run by the build before
// the program is built (scripts/lib/ferretdb.ts), or `go test .` here.

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// opMsg builds an OP_MSG request: a body section, then document sequences.
func opMsgRequest(t *testing.T, body bson.D, sequences map[string][]bson.D) []byte {
	t.Helper()
	raw, err := bson.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	msg := make([]byte, 20)
	binary.LittleEndian.PutUint32(msg[12:16], opMsg)
	msg = append(msg, 0)
	msg = append(msg, raw...)
	for id, docs := range sequences {
		section := []byte(id + "\x00")
		for _, d := range docs {
			b, err := bson.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			section = append(section, b...)
		}
		size := make([]byte, 4)
		binary.LittleEndian.PutUint32(size, uint32(len(section)+4))
		msg = append(msg, 1)
		msg = append(msg, size...)
		msg = append(msg, section...)
	}
	binary.LittleEndian.PutUint32(msg[0:4], uint32(len(msg)))
	return msg
}

func TestWhichLockEachCommandTakes(t *testing.T) {
	statement := func(q bson.D) bson.D { return bson.D{{Key: "q", Value: q}, {Key: "u", Value: bson.D{}}} }
	update := func(statements ...bson.D) bson.D {
		a := bson.A{}
		for _, s := range statements {
			a = append(a, s)
		}
		return bson.D{{Key: "update", Value: "jobs"}, {Key: "updates", Value: a}, {Key: "$db", Value: "app"}}
	}
	cases := []struct {
		name  string
		body  bson.D
		seq   map[string][]bson.D
		scope scope
		ids   []string
	}{
		{"a read", bson.D{{Key: "find", Value: "jobs"}, {Key: "$db", Value: "app"}}, nil, scopeNone, nil},
		{"update by _id", update(statement(bson.D{{Key: "_id", Value: "a"}})), nil, scopeDocuments, []string{"sa"}},
		{
			"compare-and-set by _id and more",
			update(statement(bson.D{{Key: "_id", Value: "a"}, {Key: "leaseToken", Value: "t"}})),
			nil, scopeDocuments, []string{"sa"},
		},
		{
			"two statements, each by _id",
			update(statement(bson.D{{Key: "_id", Value: "a"}}), statement(bson.D{{Key: "_id", Value: "b"}})),
			nil, scopeDocuments, []string{"sa", "sb"},
		},
		{
			"one statement without _id",
			update(statement(bson.D{{Key: "_id", Value: "a"}}), statement(bson.D{{Key: "state", Value: "x"}})),
			nil, scopeCollection, nil,
		},
		{
			"statements in a document sequence",
			bson.D{{Key: "update", Value: "jobs"}, {Key: "$db", Value: "app"}},
			map[string][]bson.D{"updates": {statement(bson.D{{Key: "_id", Value: "c"}})}},
			scopeDocuments, []string{"sc"},
		},
		{
			"delete by $in",
			bson.D{
				{Key: "delete", Value: "jobs"},
				{Key: "deletes", Value: bson.A{bson.D{{Key: "q", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}}}}}},
				{Key: "$db", Value: "app"},
			},
			nil, scopeDocuments, []string{"sa", "sb"},
		},
		{
			"findAndModify by $eq, numbers of any type one key",
			bson.D{
				{Key: "findAndModify", Value: "jobs"},
				{Key: "query", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$eq", Value: int64(1)}}}}},
				{Key: "$db", Value: "app"},
			},
			nil, scopeDocuments, []string{"n1"},
		},
		{
			"findAndModify by a range of _id",
			bson.D{
				{Key: "findAndModify", Value: "jobs"},
				{Key: "query", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: "a"}}}}},
				{Key: "$db", Value: "app"},
			},
			nil, scopeCollection, nil,
		},
		{
			"the job lease (no _id)",
			bson.D{
				{Key: "findAndModify", Value: "jobs"},
				{Key: "query", Value: bson.D{{Key: "runAt", Value: bson.D{{Key: "$lte", Value: time.Now()}}}}},
				{Key: "$db", Value: "app"},
			},
			nil, scopeCollection, nil,
		},
		{"insert", bson.D{{Key: "insert", Value: "jobs"}, {Key: "$db", Value: "app"}}, nil, scopeInsert, nil},
		{"createIndexes", bson.D{{Key: "createIndexes", Value: "jobs"}, {Key: "$db", Value: "app"}}, nil, scopeCollection, nil},
		{"drop", bson.D{{Key: "drop", Value: "jobs"}, {Key: "$db", Value: "app"}}, nil, scopeCollection, nil},
		{"dropDatabase", bson.D{{Key: "dropDatabase", Value: 1}, {Key: "$db", Value: "app"}}, nil, scopeDatabase, nil},
		{
			"renameCollection",
			bson.D{{Key: "renameCollection", Value: "app.a"}, {Key: "to", Value: "app.b"}, {Key: "$db", Value: "admin"}},
			nil, scopeAll, nil,
		},
		{"a write without $db", bson.D{{Key: "insert", Value: "jobs"}}, nil, scopeAll, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := parseCommand(opMsgRequest(t, c.body, c.seq))
			if cmd.scope != c.scope {
				t.Fatalf("scope %d, want %d", cmd.scope, c.scope)
			}
			ids := slices.Clone(cmd.ids)
			slices.Sort(ids)
			if !slices.Equal(ids, c.ids) {
				t.Fatalf("ids %q, want %q", ids, c.ids)
			}
		})
	}
	if idKey(bson.RawValue{Type: bson.TypeInt32, Value: []byte{1, 0, 0, 0}}) != "n1" {
		t.Fatal("int32 1 and int64 1 must share a lock")
	}
}

func TestDocumentLocksKeepApartOnlyWhatTheyMust(t *testing.T) {
	locks := newLockSet()
	doc := func(id string) command {
		return command{scope: scopeDocuments, db: "app", collection: "jobs", ids: []string{id}}
	}
	release := locks.acquire(doc("sa"))

	// Another document of the same collection: not held up.
	other := make(chan struct{})
	go func() {
		locks.acquire(doc("sb"))()
		close(other)
	}()
	select {
	case <-other:
	case <-time.After(5 * time.Second):
		t.Fatal("a write to another document waited for the held one")
	}

	release()

	// The same document, then the whole collection: each only after the release.
	for _, waiter := range []command{doc("sa"), {scope: scopeCollection, db: "app", collection: "jobs"}} {
		release := locks.acquire(doc("sa"))
		var released bool
		got := make(chan bool, 1)
		done := make(chan struct{})
		go func() {
			r := locks.acquire(waiter)
			got <- released
			r()
			close(done)
		}()
		time.Sleep(50 * time.Millisecond) // give it the chance to get in (it must not)
		released = true
		release()
		if !<-got {
			t.Fatalf("a write (scope %d) took a lock that was held", waiter.scope)
		}
		<-done
	}
	if len(locks.documents.entries) != 0 || len(locks.collections.entries) != 0 {
		t.Fatal("lock entries left behind")
	}
}
