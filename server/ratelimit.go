package server

import (
	"strings"
	"sync"
	"time"
)

// Rate is at most Max events per Per. A Rate with Max <= 0 limits nothing.
type Rate struct {
	Max int
	Per time.Duration
}

func (r Rate) off() bool { return r.Max <= 0 || r.Per <= 0 }

// maxLimiterKeys bounds the memory of one limiter: past it, keys whose
// window has passed are swept, and if that is not enough the oldest half of
// the remaining ones is dropped (an attacker spraying keys can at worst
// reset somebody's count, never grow the map without bound).
const maxLimiterKeys = 100_000

// limiter is a sliding-window log per key: it remembers the time of each of
// the last Max events of a key and refuses a new one while Max of them fall
// within Per. Memory is O(keys × Max).
type limiter struct {
	rate Rate
	now  func() time.Time

	mu   sync.Mutex
	hits map[string][]time.Time // oldest first, at most rate.Max
}

func newLimiter(rate Rate, now func() time.Time) *limiter {
	return &limiter{rate: rate, now: now, hits: map[string][]time.Time{}}
}

// take counts an event for key and returns 0, or, when the key is at its
// limit, counts nothing and returns how long until the next event is
// allowed.
func (l *limiter) take(key string) time.Duration {
	if l == nil || l.rate.off() {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.live(key, now)
	if len(h) >= l.rate.Max {
		wait := h[0].Add(l.rate.Per).Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		return wait
	}
	if len(l.hits) >= maxLimiterKeys {
		l.sweep(now)
	}
	if h == nil {
		// A new key: it may point into a reused request buffer (a
		// forwarded address is read from a header), so keep a copy.
		key = strings.Clone(key)
	}
	l.hits[key] = append(h, now)
	return 0
}

// undo forgets the most recent event of key: the attempt it counted turned
// out not to be one that the limit is about (a successful sign-in).
func (l *limiter) undo(key string) {
	if l == nil || l.rate.off() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.hits[key]; len(h) > 1 {
		l.hits[key] = h[:len(h)-1]
	} else {
		delete(l.hits, key)
	}
}

// reset forgets every event of key.
func (l *limiter) reset(key string) {
	if l == nil || l.rate.off() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

// live returns key's events within the window, dropping older ones.
func (l *limiter) live(key string, now time.Time) []time.Time {
	h := l.hits[key]
	cut := 0
	for cut < len(h) && !h[cut].Add(l.rate.Per).After(now) {
		cut++
	}
	if cut == len(h) {
		delete(l.hits, key)
		return nil
	}
	if cut > 0 {
		h = append(h[:0:0], h[cut:]...)
		l.hits[key] = h
	}
	return h
}

func (l *limiter) sweep(now time.Time) {
	for k := range l.hits {
		l.live(k, now)
	}
	if len(l.hits) < maxLimiterKeys*3/4 {
		return
	}
	// Still full: drop the keys whose last event is oldest.
	cutoff := now.Add(-l.rate.Per / 2)
	for k, h := range l.hits {
		if h[len(h)-1].Before(cutoff) {
			delete(l.hits, k)
		}
	}
	for k := range l.hits {
		if len(l.hits) < maxLimiterKeys/2 {
			break
		}
		delete(l.hits, k)
	}
}
