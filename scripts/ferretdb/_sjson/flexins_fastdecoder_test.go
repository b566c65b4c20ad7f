// Run at build time inside FerretDB's sjson package (scripts/lib/ferretdb.ts),
// with FerretDB's own tests of that package: the fast paths must give what
// encoding/json gives, value for value and error for error.
package sjson

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// decodeBoth decodes data into a fresh T with and without the fast paths.
func decodeBoth[T any](data []byte, disallow bool) (fast, slow T, fastErr, slowErr error) {
	run := func(slowOnly bool, v *T) error {
		flexinsSlowOnly = slowOnly
		defer func() { flexinsSlowOnly = false }()
		d := newFastDecoder(data)
		if disallow {
			d.DisallowUnknownFields()
		}
		return d.Decode(v)
	}
	fastErr = run(false, &fast)
	slowErr = run(true, &slow)
	return
}

func same[T any](t *testing.T, data []byte, disallow bool) {
	t.Helper()
	fast, slow, fastErr, slowErr := decodeBoth[T](data, disallow)
	if (fastErr == nil) != (slowErr == nil) {
		t.Fatalf("%T of %q: fast error %v, encoding/json error %v", fast, data, fastErr, slowErr)
	}
	if fastErr == nil && !reflect.DeepEqual(normalise(fast), normalise(slow)) {
		t.Fatalf("%T of %q: fast %#v, encoding/json %#v", fast, data, fast, slow)
	}
}

// normalise: raw members compare by their bytes.
func normalise(v any) any {
	switch v := v.(type) {
	case map[string]json.RawMessage:
		out := map[string]string{}
		for k, m := range v {
			out[k] = string(m)
		}
		return out
	case []json.RawMessage:
		out := make([]string, len(v))
		for i, m := range v {
			out[i] = string(m)
		}
		return out
	}
	return v
}

func randomString(r *rand.Rand) string {
	pieces := []string{"a", "Z", "0", " ", "中", "宁夏", "\"", "\\", "/", "\n", "\t", "\u0001", "\u2028", "é", "😀", "{", "}", "[", "]", ",", ":", "\\\"", "<", "&"}
	var b strings.Builder
	for n := r.Intn(8); n > 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

func randomValue(r *rand.Rand, depth int) any {
	switch k := r.Intn(9); {
	case k == 0 && depth < 4:
		m := map[string]any{}
		for n := r.Intn(5); n > 0; n-- {
			m[randomString(r)] = randomValue(r, depth+1)
		}
		return m
	case k == 1 && depth < 4:
		a := []any{}
		for n := r.Intn(5); n > 0; n-- {
			a = append(a, randomValue(r, depth+1))
		}
		return a
	case k == 2:
		return randomString(r)
	case k == 3:
		return r.NormFloat64() * math.Pow(10, float64(r.Intn(40)-20))
	case k == 4:
		return r.Int63() - r.Int63()
	case k == 5:
		return r.Intn(2) == 0
	case k == 6:
		return nil
	case k == 7:
		return int32(r.Uint32())
	default:
		return randomString(r)
	}
}

func TestFlexinsFastDecoderMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(20261129))
	for i := 0; i < 20000; i++ {
		data := must.NotFail(json.Marshal(randomValue(r, 0)))
		same[map[string]json.RawMessage](t, data, false)
		same[[]json.RawMessage](t, data, false)
		same[string](t, data, false)
		same[float64](t, data, true)
		same[int32](t, data, false)
		same[int64](t, data, true)
		same[uint64](t, data, true)
		same[bool](t, data, false)
	}
}

func TestFlexinsFastDecoderRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, text := range []string{
		``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1}x`, `{"a":1} `, ` {"a":1}`, `{"a" 1}`, `{a:1}`,
		`[`, `[1,]`, `[1 2]`, `[1]]`, `[1] `, `"abc`, `"a"b"`, "\"a\u0001\"", `"\x"`, `"\u12"`, `01`, `1.`, `.5`,
		`-`, `1e`, `1e+`, `+1`, `0x10`, `Infinity`, `NaN`, `1_000`, `tru`, `truex`, `nul`, `2147483648`,
		`-2147483649`, `9223372036854775808`, `-1`, `1.5`, `1e3`, `null`, `"\ud800"`, "\"\xff\"",
		`{"p":{"a":{"t":"string"}},"$k":["a"],"x":1}`, `{"p":{"a":{"t":"string","y":1}},"$k":["a"]}`,
		`{"P":{"a":{"t":"string"}},"$k":["a"]}`, `{"p":null,"$k":null}`, `{"p":{"a":{"t":"binData","s":256}},"$k":["a"]}`,
	} {
		data := []byte(text)
		same[map[string]json.RawMessage](t, data, false)
		same[[]json.RawMessage](t, data, false)
		same[string](t, data, false)
		same[float64](t, data, true)
		same[int32](t, data, false)
		same[int64](t, data, true)
		same[uint64](t, data, true)
		same[bool](t, data, false)
		same[schema](t, data, true)
	}
}

// A document of every type FerretDB stores, nested: Marshal, then Unmarshal
// with and without the fast paths give the same document.
func TestFlexinsDocumentsRoundTripTheSame(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		doc := randomDocument(r, 0)
		data, err := Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		fast, fastErr := Unmarshal(data)
		flexinsSlowOnly = true
		slow, slowErr := Unmarshal(data)
		flexinsSlowOnly = false
		if fastErr != nil || slowErr != nil {
			t.Fatalf("%s: fast %v, encoding/json %v", data, fastErr, slowErr)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%s:\nfast %#v\nencoding/json %#v", data, fast, slow)
		}
	}
}

func randomDocument(r *rand.Rand, depth int) *types.Document {
	doc := must.NotFail(types.NewDocument())
	for n := r.Intn(7) + 1; n > 0; n-- {
		// Plain keys: FerretDB 1.24 writes a key holding a backslash or a control
		// character into the data unescaped, which neither decoder can read back.
		doc.Set(fmt.Sprintf("k%d%s", n, []string{"", "名称", "a_b", "x.y"}[r.Intn(4)]), randomTyped(r, depth))
	}
	return doc
}

func randomTyped(r *rand.Rand, depth int) any {
	switch k := r.Intn(13); {
	case k == 0 && depth < 3:
		return randomDocument(r, depth+1)
	case k == 1 && depth < 3:
		arr := types.MakeArray(0)
		for n := r.Intn(4); n > 0; n-- {
			arr.Append(randomTyped(r, depth+1))
		}
		return arr
	case k == 2:
		return r.NormFloat64() * math.Pow(10, float64(r.Intn(30)-15))
	case k == 3:
		return int32(r.Uint32())
	case k == 4:
		return r.Int63() - r.Int63()
	case k == 5:
		return r.Intn(2) == 0
	case k == 6:
		return types.Null
	case k == 7:
		return time.UnixMilli(r.Int63n(4_000_000_000_000)).UTC()
	case k == 8:
		return types.Binary{B: []byte(randomString(r)), Subtype: types.BinarySubtype(r.Intn(6))}
	case k == 9:
		var id types.ObjectID
		r.Read(id[:])
		return id
	case k == 10:
		return types.Regex{Pattern: randomString(r), Options: "i"}
	case k == 11:
		return types.Timestamp(r.Uint64() >> 1)
	default:
		return randomString(r)
	}
}
