package main

// On PostgreSQL, FerretDB 1.24 creates a real B-tree index for each index
// asked for (`(_jsonb->'field')`), but it narrows a query on a field with
// `_jsonb->'field' @> '"value"'` (containment, so that an array holding the
// value matches too), which a B-tree cannot answer: a staff look-up by
// ID-number hash scanned every case. So after each createIndexes this adds,
// beside each index FerretDB made, a GIN index over the same expression
// (jsonb_path_ops answers `@>`). FerretDB does not know about it and needs
// not: only PostgreSQL's planner uses it, and it goes with the table. A
// look-up by `_id` uses FerretDB's own unique index through our patch
// (patches.json), not this.

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.mongodb.org/mongo-driver/bson"
)

type pgIndexer struct {
	url  string
	once sync.Once
	pool *pgxpool.Pool
	err  error
}

func newPGIndexer(url string) *pgIndexer { return &pgIndexer{url: url} }

func (x *pgIndexer) before(command) {}

func (x *pgIndexer) needsCollectionLock(string, string) bool { return false }

// after adds the GIN twins of the indexes a createIndexes asked for (with the
// collection's lock held, so no write to the table runs meanwhile).
func (x *pgIndexer) after(cmd command) error {
	if cmd.name != "createIndexes" {
		return nil
	}
	fields := indexedFields(cmd.body)
	if len(fields) == 0 {
		return nil
	}
	x.once.Do(func() {
		config, err := pgxpool.ParseConfig(x.url)
		if err == nil {
			config.MaxConns = 2
			x.pool, err = pgxpool.NewWithConfig(context.Background(), config)
		}
		x.err = err
	})
	if x.err != nil {
		return x.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var table string
	q := fmt.Sprintf(`SELECT _jsonb->>'table' FROM %s WHERE _jsonb->'_id' = to_jsonb($1::text)`,
		pgx.Identifier{cmd.db, "_ferretdb_database_metadata"}.Sanitize())
	if err := x.pool.QueryRow(ctx, q, cmd.collection).Scan(&table); err != nil {
		if err == pgx.ErrNoRows {
			return nil // the createIndexes failed: nothing to pair
		}
		return err
	}
	for _, field := range fields {
		h := fnv.New32a()
		h.Write([]byte(table + "\x00" + field))
		name := fmt.Sprintf("%s_flexins_gin_%08x", truncate(table, 40), h.Sum32())
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((%s) jsonb_path_ops)`,
			pgx.Identifier{name}.Sanitize(), pgx.Identifier{cmd.db, table}.Sanitize(), fieldExpression(field))
		if _, err := x.pool.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// indexedFields: the first field of each ascending or descending index a
// createIndexes asks for, other than `_id` (text, hashed and geo indexes
// FerretDB refuses anyway).
func indexedFields(body bson.Raw) []string {
	values, err := body.Lookup("indexes").Array().Values()
	if err != nil {
		return nil
	}
	var fields []string
	for _, v := range values {
		spec, ok := v.DocumentOK()
		if !ok {
			continue
		}
		key, ok := spec.Lookup("key").DocumentOK()
		if !ok {
			continue
		}
		elements, err := key.Elements()
		if err != nil || len(elements) == 0 {
			continue
		}
		first := elements[0]
		switch first.Value().Type {
		case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble:
		default:
			continue // "text", "hashed", "2dsphere"
		}
		if first.Key() == "_id" {
			continue
		}
		fields = append(fields, first.Key())
	}
	return fields
}

// fieldExpression is the expression FerretDB's query pushdown writes for a
// field (query.go: `->` for a plain field, `#>` with a path for a dotted one).
func fieldExpression(field string) string {
	if !strings.Contains(field, ".") {
		return "_jsonb -> " + quoteLiteral(field)
	}
	parts := strings.Split(field, ".")
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(strings.ReplaceAll(p, `\`, `\\`), `"`, `\"`) + `"`
	}
	return "_jsonb #> " + quoteLiteral("{"+strings.Join(parts, ",")+"}") + "::text[]"
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
