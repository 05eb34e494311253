// Command gen writes the benchmark CSV: a deterministic (seeded), mixed-type
// file of about 100 bytes a row, so the default 10M rows make ~1 GB, under the
// server's 1 GiB upload limit.
//
//	go run ./bench/gen [-rows 10000000] [-seed 1] [-out bench/data/bench-10000000.csv]
//
// Columns: id, user_id, quantity (integers); amount, score (floats, amount
// with NULLs); category (12 values), city (500 values, a few with a comma, so
// quoted); order_date (DATE), created_at (TIMESTAMP, some NULL); returned
// (boolean, some NULL); note (long free text, mostly NULL, often quoted with
// commas and doubled quotes). NULL is an empty field.
//
// Rows are made in chunks, each from its own generator seeded by (seed,
// chunk), by every core in parallel and written in order: the output depends
// on -rows and -seed only.
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"
)

const chunkRows = 50_000

func main() {
	rows := flag.Int64("rows", 10_000_000, "number of data rows")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "bench/data/bench-10000000.csv", "output path")
	workers := flag.Int("workers", runtime.NumCPU(), "parallel generators")
	flag.Parse()
	if *rows < 0 || *workers < 1 {
		fmt.Fprintln(os.Stderr, "gen: -rows must be >= 0 and -workers >= 1")
		os.Exit(2)
	}
	t0 := time.Now()
	n, err := generate(*out, *rows, *seed, *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	el := time.Since(t0)
	fmt.Printf("wrote %s: %d rows, %d bytes (%.1f MB) in %v (%.0f MB/s)\n",
		*out, *rows, n, float64(n)/1e6, el.Round(time.Millisecond), float64(n)/1e6/el.Seconds())
}

func generate(path string, rows int64, seed uint64, workers int) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp) // a no-op after the rename

	header := []byte("id,user_id,amount,quantity,category,city,order_date,created_at,returned,score,note\n")
	total := int64(0)
	if _, err := f.Write(header); err != nil {
		f.Close()
		return 0, err
	}
	total += int64(len(header))

	chunks := int((rows + chunkRows - 1) / chunkRows)
	results := make([]chan []byte, chunks)
	for i := range results {
		results[i] = make(chan []byte, 1)
	}
	// At most 2*workers chunks (~5 MB each) exist at once.
	tokens := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				first := int64(c) * chunkRows
				n := min(chunkRows, rows-first)
				results[c] <- makeChunk(seed, c, first, n)
			}
		}()
	}
	go func() {
		for c := 0; c < chunks; c++ {
			tokens <- struct{}{}
			jobs <- c
		}
		close(jobs)
	}()
	var werr error
	for c := 0; c < chunks; c++ {
		b := <-results[c]
		if werr == nil {
			_, werr = f.Write(b)
			total += int64(len(b))
		}
		<-tokens
	}
	wg.Wait()
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return 0, werr
	}
	return total, os.Rename(tmp, path)
}

var categories = []string{
	"Electronics", "Books", "Clothing", "Home & Garden", "Toys", "Sports",
	"Beauty", "Grocery", "Automotive", "Health", "Music", "Office",
}

// categoryWeights skews the categories like real sales.
var categoryWeights = []int{18, 14, 12, 10, 8, 8, 7, 7, 5, 5, 3, 3}

var cities = makeCities(500)

var words = []string{
	"the", "order", "arrived", "late", "and", "box", "was", "damaged", "great",
	"value", "would", "buy", "again", "customer", "asked", "for", "refund",
	"color", "not", "as", "pictured", "fast", "shipping", "quality", "is",
	"excellent", "size", "runs", "small", "gift", "wrapped", "nicely", "missing",
	"parts", "replacement", "sent", "works", "fine", "after", "update", "battery",
	"life", "short", "packaging", "eco", "friendly", "support", "helpful",
	"delivery", "window", "missed", "coupon", "applied", "twice", "price",
	"match", "requested", "warehouse", "B", "backorder", "expected", "next", "week",
}

// makeCities builds n deterministic place names from syllables; every 50th
// has a region after a comma, so the CSV quotes it.
func makeCities(n int) []string {
	syl := []string{"ber", "lin", "par", "is", "ma", "drid", "ro", "me", "vi", "en", "na", "os", "lo", "am", "ster", "dam", "ko", "pen", "ha", "gen"}
	r := rand.New(rand.NewPCG(42, 42))
	out := make([]string, n)
	seen := map[string]bool{}
	for i := range out {
		for {
			k := 2 + r.IntN(2)
			s := ""
			for j := 0; j < k; j++ {
				s += syl[r.IntN(len(syl))]
			}
			s = string(s[0]-32) + s[1:]
			if i%50 == 7 {
				s += ", " + []string{"North", "South", "East", "West"}[r.IntN(4)]
			}
			if !seen[s] {
				seen[s] = true
				out[i] = s
				break
			}
		}
	}
	return out
}

// dates holds "YYYY-MM-DD" for 2018-01-01 .. 2025-12-31.
var dates = func() []string {
	var out []string
	for d := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("2006-01-02"))
	}
	return out
}()

func makeChunk(seed uint64, chunk int, first, n int64) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(chunk)+1))
	b := make([]byte, 0, n*112)
	var cum []int
	sum := 0
	for _, w := range categoryWeights {
		sum += w
		cum = append(cum, sum)
	}
	for i := int64(0); i < n; i++ {
		// id, user_id
		b = strconv.AppendInt(b, first+i+1, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, 1+int64(r.IntN(900_000)), 10)
		b = append(b, ',')
		// amount: log-normal, 2 decimals, 3% NULL
		if r.IntN(100) >= 3 {
			a := math.Exp(3.2 + 1.1*r.NormFloat64())
			a = math.Min(math.Max(a, 0.01), 99999.99)
			b = strconv.AppendFloat(b, math.Round(a*100)/100, 'f', -1, 64)
		}
		b = append(b, ',')
		// quantity
		b = strconv.AppendInt(b, 1+int64(r.IntN(20)), 10)
		b = append(b, ',')
		// category (weighted)
		x := r.IntN(sum)
		ci := 0
		for cum[ci] <= x {
			ci++
		}
		b = append(b, categories[ci]...)
		b = append(b, ',')
		// city: 0.5% NULL; quoted when it has a comma
		if r.IntN(200) != 0 {
			c := cities[int(math.Min(float64(len(cities)-1), math.Abs(r.NormFloat64())*float64(len(cities))/3))]
			b = appendField(b, c)
		}
		b = append(b, ',')
		// order_date and created_at (1% NULL)
		di := r.IntN(len(dates))
		b = append(b, dates[di]...)
		b = append(b, ',')
		if r.IntN(100) != 0 {
			b = append(b, dates[min(di+r.IntN(3), len(dates)-1)]...)
			s := r.IntN(86400)
			b = append(b, ' ')
			b = append2(b, s/3600)
			b = append(b, ':')
			b = append2(b, s/60%60)
			b = append(b, ':')
			b = append2(b, s%60)
		}
		b = append(b, ',')
		// returned: 8% true, 2% NULL
		switch v := r.IntN(100); {
		case v < 8:
			b = append(b, "true"...)
		case v < 98:
			b = append(b, "false"...)
		}
		b = append(b, ',')
		// score in [-1, 1], 4 decimals
		b = strconv.AppendFloat(b, float64(r.IntN(20001)-10000)/10000, 'f', -1, 64)
		b = append(b, ',')
		// note: 22% present; 2% of those long
		if r.IntN(100) < 27 {
			b = appendNote(b, r)
		}
		b = append(b, '\n')
	}
	return b
}

func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// appendField writes s, quoted (with quotes doubled) when it needs it.
func appendField(b []byte, s string) []byte {
	need := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

var noteBuf = sync.Pool{New: func() any { return new([]byte) }}

func appendNote(b []byte, r *rand.Rand) []byte {
	p := noteBuf.Get().(*[]byte)
	s := (*p)[:0]
	k := 2 + r.IntN(12)
	if r.IntN(50) == 0 {
		k = 40 + r.IntN(40)
	}
	for j := 0; j < k; j++ {
		if j > 0 {
			switch v := r.IntN(20); {
			case v < 2:
				s = append(s, ", "...)
			case v == 2:
				s = append(s, ". "...)
			default:
				s = append(s, ' ')
			}
		}
		w := words[r.IntN(len(words))]
		if r.IntN(60) == 0 {
			s = append(s, '"')
			s = append(s, w...)
			s = append(s, '"')
		} else {
			s = append(s, w...)
		}
	}
	b = appendField(b, string(s))
	*p = s
	noteBuf.Put(p)
	return b
}
