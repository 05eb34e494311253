package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestQuotaCountsTypedCopiesAndMessages(t *testing.T) {
	const quota = 6 << 10
	env := newTestEnv(t, withLimits(Limits{UserQuota: quota}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "people.csv", peopleCSV)
	uid := mustUserID(t, env, "alice@example.com")

	// The stored dataset counts its original and its Parquet copy.
	list, err := env.store.ListSessions(t.Context(), uid)
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	dir := filepath.Join(env.dataDir, sess.SessionID)
	var want int64
	for _, name := range []string{"data.parquet", filepath.Base(list[0].File.PathOnDisk)} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want += info.Size()
	}
	if got := list[0].File.DiskBytes; got != want || got <= int64(len(peopleCSV)) {
		t.Fatalf("disk_bytes %d, want %d (original and typed copy)", got, want)
	}

	// Stored replies count: a few results of 1.5 KB fill the quota, then a
	// new reply is refused.
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	refused := ""
	for i := 0; i < 10 && refused == ""; i++ {
		c.send(map[string]string{"type": "message", "text": "SELECT repeat('x', 1500) AS s"})
		// A refused reply is one error event; an answered one ends with done.
		first := c.next(10 * time.Second)
		if first.Event == "error" {
			refused = string(first.Data)
			if i == 0 {
				t.Fatalf("the first reply was refused: %s", refused)
			}
			break
		}
		c.until("done", 10*time.Second)
	}
	if !strings.Contains(refused, "your 6 KB of storage is used up") {
		t.Fatalf("refusal %q", refused)
	}
	used, err := env.srv.diskUsage(t.Context(), uid)
	if err != nil || used < quota || used > quota+4<<10 {
		t.Fatalf("used %d of %d (err %v)", used, quota, err)
	}
	msgs, _ := env.store.MessageBytes(t.Context(), uid)
	if used != want+msgs || msgs < 3000 {
		t.Fatalf("used %d = dataset %d + messages %d?", used, want, msgs)
	}
	// So is an upload; deleting the session makes room again.
	if status, body := env.do(uploadRequest(alice, "file", "people.csv", []byte(peopleCSV))); status != 413 {
		t.Fatalf("upload over quota: %d %s", status, body)
	}
	if status, _ := env.doJSON("DELETE", "/api/sessions/"+sess.SessionID, alice, nil); status != 204 {
		t.Fatal("delete failed")
	}
	env.upload(alice, "people.csv", peopleCSV)
}

// next reads one event.
func (c *wsClient) next(timeout time.Duration) wsEvent {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	var ev wsEvent
	if err := c.conn.ReadJSON(&ev); err != nil {
		c.t.Fatalf("reading an event: %v", err)
	}
	return ev
}
