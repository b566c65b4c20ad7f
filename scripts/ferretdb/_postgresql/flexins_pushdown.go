package postgresql

// flexins: two more kinds of filter narrowed in SQL (query.go calls these),
// so that PostgreSQL can use the indexes FerretDB makes: `$or` of filters it
// can narrow (a staff look-up by phone asks {$or: [{phoneHash}, {mailingPhoneHash}]}),
// and `$lt`, `$lte`, `$gt`, `$gte` of a date (the job queue's and the
// follow-ups' due times). As everywhere in FerretDB's pushdown, the SQL only
// has to keep every document that can match: the handler filters the rows it
// gets with the whole filter again.

import (
	"fmt"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/postgresql/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// flexinsOr narrows `$or` to the alternatives' own narrowing, OR-ed; nothing
// when an alternative is not narrowed at all (it could match any row).
func flexinsOr(p *metadata.Placeholder, v any) (string, []any) {
	alternatives, ok := v.(*types.Array)
	if !ok || alternatives.Len() == 0 {
		return "", nil
	}

	next := *p // placeholders are only taken if the whole `$or` is narrowed

	var parts []string
	var args []any

	for i := 0; i < alternatives.Len(); i++ {
		doc, ok := must.NotFail(alternatives.Get(i)).(*types.Document)
		if !ok {
			return "", nil
		}

		where, a, err := prepareWhereClause(&next, doc)
		if err != nil || where == "" {
			return "", nil
		}

		parts = append(parts, "("+strings.TrimPrefix(where, " WHERE ")+")")
		args = append(args, a...)
	}

	*p = next

	return "(" + strings.Join(parts, " OR ") + ")", args
}

// flexinsRange narrows a comparison with a date (stored as its milliseconds,
// a JSON number). In jsonb's order arrays and objects sort above numbers, so
// `$gt`/`$gte` keep them by themselves; `$lt`/`$lte` add every non-empty array
// (`>= '[null]'`, the least of them), which may hold a matching date. Both
// sides of that OR are ranges of the field's B-tree index.
func flexinsRange(p *metadata.Placeholder, key any, operator, op string, v any) (string, []any) {
	t, ok := v.(time.Time)
	if !ok {
		return "", nil
	}

	field := metadata.DefaultColumn + operator + p.Next()
	value := p.Next()
	args := []any{key, string(must.NotFail(sjson.MarshalSingleValue(t)))}

	switch op {
	case "$gt":
		return fmt.Sprintf("%s > %s", field, value), args
	case "$gte":
		return fmt.Sprintf("%s >= %s", field, value), args
	case "$lt":
		return fmt.Sprintf("(%[1]s < %[2]s OR %[1]s >= '[null]'::jsonb)", field, value), args
	case "$lte":
		return fmt.Sprintf("(%[1]s <= %[2]s OR %[1]s >= '[null]'::jsonb)", field, value), args
	default:
		*p -= 2

		return "", nil
	}
}
