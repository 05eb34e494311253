package duck

import (
	"encoding/json"
	"math"
	"strconv"
)

// TypeKind is the Kind a DuckDB type name gives on its own, before any
// statistics: KindNumeric, KindText, KindBoolean, KindTemporal or KindOther.
// It is what a column's Kind is taken to be when its profile is not known
// (ColumnProfile.Class is the column's Kind when it is).
func TypeKind(typ string) Kind {
	switch storageOf(typ) {
	case storageNumber:
		return KindNumeric
	case storageText:
		return KindText
	case storageBoolean:
		return KindBoolean
	case storageDate, storageTimestamp:
		return KindTemporal
	}
	return KindOther
}

// IsIntegerType reports a DuckDB integer type name.
func IsIntegerType(typ string) bool { return isIntegerType(typ) }

// ToFloat reads a number from a result cell: integers, floats, DECIMALs
// (json.Number) and big integers written as strings; NaN and infinities
// are not numbers.
func ToFloat(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int64:
		f = float64(x)
	case int:
		f = float64(x)
	case int32:
		f = float64(x)
	case int16:
		f = float64(x)
	case int8:
		f = float64(x)
	case uint64:
		f = float64(x)
	case uint32:
		f = float64(x)
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	case string:
		var err error
		if f, err = strconv.ParseFloat(x, 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}
