package duck

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/google/uuid"
)

// maxExactInt is the largest integer a JSON consumer using IEEE doubles
// (every browser) reads back exactly; larger integers become strings.
const maxExactInt = 1 << 53

// jsonValue converts a value scanned from DuckDB into one encoding/json
// writes faithfully and a browser reads back unchanged. dbType is DuckDB's
// type name for the column ("" inside nested values when unknown).
func jsonValue(v any, dbType string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool, string:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return intValue(x)
	case int:
		return intValue(int64(x))
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x > maxExactInt {
			return strconv.FormatUint(x, 10)
		}
		return int64(x)
	case float32:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		// Format at float32 precision: 0.1 stays 0.1, not 0.10000000149.
		return json.Number(strconv.FormatFloat(f, 'g', -1, 32))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case *big.Int:
		if x == nil {
			return nil
		}
		if x.IsInt64() {
			return intValue(x.Int64())
		}
		return x.String()
	case duckdb.Decimal:
		return decimalValue(x)
	case time.Time:
		return timeValue(x, dbType)
	case duckdb.Interval:
		return intervalString(x)
	case []byte:
		if strings.HasPrefix(dbType, "UUID") && len(x) == 16 {
			u, _ := uuid.FromBytes(x)
			return u.String()
		}
		return base64.StdEncoding.EncodeToString(x)
	case duckdb.UUID:
		return uuid.UUID(x).String()
	case []any:
		elem := listElemType(dbType)
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e, elem)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e, "")
		}
		return out
	case duckdb.OrderedMap:
		keys, vals := x.Keys(), x.Values()
		out := make(map[string]any, len(keys))
		for i := range keys {
			k := jsonValue(keys[i], "")
			out[fmt.Sprint(k)] = jsonValue(vals[i], "")
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(jsonValue(k, ""))] = jsonValue(e, "")
		}
		return out
	case duckdb.Union:
		return jsonValue(x.Value, "")
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func intValue(i int64) any {
	if i > maxExactInt || i < -maxExactInt {
		return strconv.FormatInt(i, 10)
	}
	return i
}

// decimalValue writes a DECIMAL as a JSON number when a double holds it
// exactly (up to 15 significant digits), else as a string of its digits.
func decimalValue(d duckdb.Decimal) any {
	if d.Value == nil {
		return nil
	}
	s := d.String()
	digits := strings.TrimLeft(strings.NewReplacer("-", "", ".", "").Replace(s), "0")
	if len(digits) <= 15 {
		return json.Number(s)
	}
	return s
}

// DuckDB's infinite dates and timestamps arrive as their extreme values.
const (
	infiniteYear    = 294247  // TIMESTAMP 'infinity' (DATE's is later still)
	negInfiniteYear = -290308 // TIMESTAMP '-infinity'
)

func timeValue(t time.Time, dbType string) string {
	switch y := t.Year(); {
	case y >= infiniteYear:
		return "infinity"
	case y <= negInfiniteYear:
		return "-infinity"
	}
	switch {
	case dbType == "DATE":
		return t.Format("2006-01-02")
	case dbType == "TIME" || dbType == "TIME_NS":
		return t.Format("15:04:05.999999999")
	case strings.HasPrefix(dbType, "TIME WITH TIME ZONE") || dbType == "TIMETZ":
		return t.Format("15:04:05.999999999Z07:00")
	case strings.Contains(dbType, "WITH TIME ZONE") || dbType == "TIMESTAMPTZ":
		return t.Format(time.RFC3339Nano)
	case strings.HasPrefix(dbType, "TIMESTAMP"):
		return t.Format("2006-01-02T15:04:05.999999999")
	}
	// Nested values carry no type: a midnight UTC value is most likely a DATE.
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04:05.999999999")
}

func intervalString(iv duckdb.Interval) string {
	var parts []string
	if iv.Months != 0 {
		y, m := iv.Months/12, iv.Months%12
		if y != 0 {
			parts = append(parts, plural(int64(y), "year"))
		}
		if m != 0 {
			parts = append(parts, plural(int64(m), "month"))
		}
	}
	if iv.Days != 0 {
		parts = append(parts, plural(int64(iv.Days), "day"))
	}
	if iv.Micros != 0 || len(parts) == 0 {
		d := time.Duration(iv.Micros) * time.Microsecond
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		h := int64(d / time.Hour)
		m := int64(d % time.Hour / time.Minute)
		s := float64(d%time.Minute) / float64(time.Second)
		parts = append(parts, fmt.Sprintf("%s%02d:%02d:%s", sign, h, m, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%09.6f", s), "0"), ".")))
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// listElemType returns the element type of "T[]" or "T[n]", else "".
func listElemType(dbType string) string {
	if !strings.HasSuffix(dbType, "]") {
		return ""
	}
	if i := strings.LastIndex(dbType, "["); i > 0 {
		return dbType[:i]
	}
	return ""
}
