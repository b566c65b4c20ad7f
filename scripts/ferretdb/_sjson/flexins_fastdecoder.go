// Our addition to FerretDB 1.24's package internal/handler/sjson, copied into
// it at build time by scripts/lib/ferretdb.ts with the patches of
// ../patches.json (this folder's name starts with "_", so Go leaves it alone
// here: it compiles only inside that package).
//
// Why: FerretDB's SQLite backend stores each document as JSON and decodes it
// with a new encoding/json Decoder for every value at every level of nesting
// (a Decoder allocates and refills a buffer each time). Measured on one of our
// case documents (12 KB): 1.0 ms to decode, 63 % of it inside
// json.(*Decoder).Decode — most of the database's CPU on a progress read.
//
// fastDecoder has the three methods of json.Decoder that package calls
// (Decode, DisallowUnknownFields, Buffered) and decodes the shapes it asks for
// most — an object or array into raw members, a string, a number, a boolean —
// directly from the bytes. Anything else, and any input not in the plain form
// FerretDB itself writes (surrounding white space, escapes it would have to
// interpret, anything malformed), goes to encoding/json exactly as before, so
// errors and edge cases keep FerretDB's behaviour.
package sjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/FerretDB/FerretDB/internal/types"
)

// flexinsSlowOnly turns the fast paths off (for the differential test).
var flexinsSlowOnly = false

type fastDecoder struct {
	data     []byte
	disallow bool
}

func newFastDecoder(data []byte) *fastDecoder { return &fastDecoder{data: data} }

func (d *fastDecoder) DisallowUnknownFields() { d.disallow = true }

// Buffered is what checkConsumed inspects: Decode has already refused any input
// that is more than one value, so nothing is ever left over.
func (d *fastDecoder) Buffered() io.Reader { return bytes.NewReader(nil) }

func (d *fastDecoder) Decode(v any) error {
	if d.fast(v) {
		return nil
	}
	return d.slow(v)
}

// slow is FerretDB's own way: a json.Decoder over the whole input, then the
// check that nothing follows the value.
func (d *fastDecoder) slow(v any) error {
	r := bytes.NewReader(d.data)
	dec := json.NewDecoder(r)
	if d.disallow {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	rest, _ := io.ReadAll(io.MultiReader(dec.Buffered(), r))
	if len(rest) != 0 {
		return fmt.Errorf("%d bytes remains in the decoder: %s", len(rest), rest)
	}
	return nil
}

func (d *fastDecoder) fast(v any) bool {
	b := d.data
	if flexinsSlowOnly || len(b) == 0 || isSpace(b[0]) || isSpace(b[len(b)-1]) {
		return false
	}
	switch p := v.(type) {
	case *map[string]json.RawMessage:
		m, ok := splitObject(b)
		if ok {
			*p = m
		}
		return ok
	case *[]json.RawMessage:
		a, ok := splitArray(b)
		if ok {
			*p = a
		}
		return ok
	case *string:
		s, ok := plainString(b)
		if ok {
			*p = s
		}
		return ok
	case *float64:
		if !isNumber(b) {
			return false
		}
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return false
		}
		*p = f
		return true
	case *int32:
		i, ok := integer(b, 32)
		if ok {
			*p = int32(i)
		}
		return ok
	case *int64:
		i, ok := integer(b, 64)
		if ok {
			*p = i
		}
		return ok
	case *uint64:
		if !isInteger(b) || b[0] == '-' {
			return false
		}
		u, err := strconv.ParseUint(string(b), 10, 64)
		if err != nil {
			return false
		}
		*p = u
		return true
	case *schema:
		sch, ok := decodeSchema(b)
		if ok {
			*p = *sch
		}
		return ok
	case *bool:
		switch string(b) {
		case "true":
			*p = true
			return true
		case "false":
			*p = false
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// plainString reads a JSON string with no escapes: the bytes between the
// quotes are the string. Anything with a backslash is left to encoding/json.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}

// isNumber: JSON's number grammar, -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func isNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(b)
}

// integer reads a JSON integer that fits in bits (what encoding/json accepts
// for int32 or int64); on false the caller leaves the input to encoding/json.
func integer(b []byte, bits int) (int64, bool) {
	if !isInteger(b) {
		return 0, false
	}
	i, err := strconv.ParseInt(string(b), 10, bits)
	return i, err == nil
}

// isInteger: a JSON number without fraction or exponent (what encoding/json
// accepts for an integer type).
func isInteger(b []byte) bool {
	return isNumber(b) && bytes.IndexAny(b, ".eE") < 0
}

// skipValue returns where the JSON value starting at b[i] ends. It checks
// strings and nesting only: the members it returns are decoded (and so
// checked) in turn by their own decoders.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		return skipString(b, i)
	case c == '{' || c == '[':
		depth := 0
		for {
			k := bytes.IndexAny(b[i:], "\"{}[]")
			if k < 0 {
				return 0, false
			}
			i += k
			switch b[i] {
			case '"':
				end, ok := skipString(b, i)
				if !ok {
					return 0, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			default:
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
	default:
		start := i
		for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ':' {
			i++
		}
		if i == start {
			return 0, false
		}
		return i, true
	}
}

// skipString returns where the string starting at b[i] ends: at the first
// quote not escaped by an odd number of backslashes. Its content is checked
// when it is decoded.
func skipString(b []byte, i int) (int, bool) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, false
		}
		end := j + k
		backslashes := 0
		for p := end - 1; p > i && b[p] == '\\'; p-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return end + 1, true
		}
		j = end + 1
	}
}

// splitObject reads an object into its members' raw values.
func splitObject(b []byte) (map[string]json.RawMessage, bool) {
	m := map[string]json.RawMessage{}
	end, ok := members(b, 0, func(key string, at int) (int, bool) {
		end, ok := skipValue(b, at)
		if ok {
			m[key] = json.RawMessage(b[at:end])
		}
		return end, ok
	})
	return m, ok && end == len(b)
}

// splitArray reads an array into its items' raw values.
func splitArray(b []byte) ([]json.RawMessage, bool) {
	a := []json.RawMessage{}
	end, ok := items(b, 0, func(at int) (int, bool) {
		end, ok := skipValue(b, at)
		if ok {
			a = append(a, json.RawMessage(b[at:end]))
		}
		return end, ok
	})
	return a, ok && end == len(b)
}

// decodeSchema reads the `$s` field, {"p": {key: elem, …}, "$k": [key, …]},
// in one pass (the schema nests as deep as the document). Any other key
// (DisallowUnknownFields) or form is left to encoding/json.
func decodeSchema(b []byte) (*schema, bool) {
	sch, end, ok := parseSchema(b, 0)
	return sch, ok && end == len(b)
}

// members walks the object at b[i], calling member with each key and the
// index of its value; member returns where the value ends.
func members(b []byte, i int, member func(key string, at int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, false
		}
		end, ok := skipString(b, i)
		if !ok {
			return 0, false
		}
		key, ok := plainString(b[i:end])
		if !ok {
			if err := json.Unmarshal(b[i:end], &key); err != nil {
				return 0, false
			}
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, false
		}
		if i, ok = member(key, skipSpace(b, i+1)); !ok {
			return 0, false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return 0, false
		}
		if b[i] == '}' {
			return i + 1, true
		}
		if b[i] != ',' {
			return 0, false
		}
		i = skipSpace(b, i+1)
	}
}

// items walks the array at b[i] the same way.
func items(b []byte, i int, item func(at int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '[' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		var ok bool
		if i, ok = item(i); !ok {
			return 0, false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return 0, false
		}
		if b[i] == ']' {
			return i + 1, true
		}
		if b[i] != ',' {
			return 0, false
		}
		i = skipSpace(b, i+1)
	}
}

// stringAt reads the plain string at b[i].
func stringAt(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, false
	}
	end, ok := skipString(b, i)
	if !ok {
		return "", 0, false
	}
	s, ok := plainString(b[i:end])
	return s, end, ok
}

func parseSchema(b []byte, i int) (*schema, int, bool) {
	sch := new(schema)
	end, ok := members(b, i, func(key string, at int) (int, bool) {
		switch key {
		case "p":
			sch.Properties = map[string]*elem{}
			return members(b, at, func(name string, at int) (int, bool) {
				e, end, ok := parseElem(b, at)
				sch.Properties[name] = e
				return end, ok
			})
		case "$k":
			sch.Keys = []string{}
			return items(b, at, func(at int) (int, bool) {
				k, end, ok := stringAt(b, at)
				sch.Keys = append(sch.Keys, k)
				return end, ok
			})
		}
		return 0, false
	})
	return sch, end, ok
}

func parseElem(b []byte, i int) (*elem, int, bool) {
	e := new(elem)
	end, ok := members(b, i, func(key string, at int) (int, bool) {
		switch key {
		case "t":
			t, end, ok := stringAt(b, at)
			e.Type = elemType(t)
			return end, ok
		case "$s":
			sch, end, ok := parseSchema(b, at)
			e.Schema = sch
			return end, ok
		case "o":
			o, end, ok := stringAt(b, at)
			e.Options = &o
			return end, ok
		case "i":
			e.Items = []*elem{}
			return items(b, at, func(at int) (int, bool) {
				item, end, ok := parseElem(b, at)
				e.Items = append(e.Items, item)
				return end, ok
			})
		case "s":
			end, ok := skipValue(b, at)
			if !ok || !isInteger(b[at:end]) {
				return 0, false
			}
			n, err := strconv.ParseUint(string(b[at:end]), 10, 8)
			if err != nil {
				return 0, false
			}
			subtype := types.BinarySubtype(n)
			e.Subtype = &subtype
			return end, true
		}
		return 0, false
	})
	return e, end, ok
}
