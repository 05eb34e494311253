package llm

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"retry-after": "3"}, 3 * time.Second},
		{"fractional seconds", map[string]string{"retry-after": "0.5"}, 500 * time.Millisecond},
		{"milliseconds win", map[string]string{"retry-after-ms": "1500", "retry-after": "9"}, 1500 * time.Millisecond},
		{"garbage", map[string]string{"retry-after": "soon"}, 0},
		{"negative", map[string]string{"retry-after": "-4"}, 0},
		{"past date", map[string]string{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &http.Response{Header: http.Header{}}
			for k, v := range tt.headers {
				res.Header.Set(k, v)
			}
			if got := RetryAfter(res); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("future date", func(t *testing.T) {
		res := &http.Response{Header: http.Header{"Retry-After": {time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)}}}
		if got := RetryAfter(res); got < 50*time.Second || got > time.Minute {
			t.Fatalf("got %v", got)
		}
	})
	if RetryAfter(nil) != 0 {
		t.Fatal("nil response")
	}
}
