package server

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/analyzerhq/analyzer/agent"
	"github.com/analyzerhq/analyzer/agent/builtin"
	"github.com/analyzerhq/analyzer/agent/llm"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic"
	"github.com/analyzerhq/analyzer/agent/llm/anthropic/anthropictest"
	"github.com/analyzerhq/analyzer/duck"
	"github.com/analyzerhq/analyzer/tables"
)

const (
	ordersCSV    = "order_id,customer_id,amount,note\n1,10,5.5,\n2,11,7,gift\n3,10,1,\n4,12,,late\n5,99,3,x\n"
	customersCSV = "customer_id,name,signup\n10,Ann,2024-01-05\n11,Bob,2024-02-11\n12,Cy,2024-03-09\n"
)

func withTables(o tables.Options) envOption { return func(c *envConfig) { c.tables = &o } }

func withChangerAnalyst(f func(*duck.Engine, agent.Changer) agent.Analyst) envOption {
	return func(c *envConfig) { c.changer = f }
}

// addFile adds a CSV to a session through POST /api/sessions/:id/tables.
func (e *testEnv) addFile(token, sessionID, filename, content string) (int, []byte) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest("POST", "/api/sessions/"+sessionID+"/tables", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.do(req)
}

type detailShape struct {
	File struct {
		RowCount int64            `json:"row_count"`
		Columns  []string         `json:"columns"`
		Preview  []map[string]any `json:"preview"`
	} `json:"file"`
}

func (e *testEnv) detail(token, sessionID string) detailShape {
	e.t.Helper()
	status, body := e.doJSON("GET", "/api/sessions/"+sessionID, token, nil)
	if status != http.StatusOK {
		e.t.Fatalf("detail: %d %s", status, body)
	}
	var d detailShape
	if err := json.Unmarshal(body, &d); err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *testEnv) tablesState(token, sessionID string) tables.State {
	e.t.Helper()
	status, body := e.doJSON("GET", "/api/sessions/"+sessionID+"/tables", token, nil)
	if status != http.StatusOK {
		e.t.Fatalf("tables: %d %s", status, body)
	}
	var st tables.State
	if err := json.Unmarshal(body, &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

// doneOf returns the data of a turn's done event.
func doneOf(t *testing.T, events []wsEvent) agent.DoneData {
	t.Helper()
	var d agent.DoneData
	if err := json.Unmarshal(events[len(events)-1].Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func texts(events []wsEvent) string {
	var b strings.Builder
	for _, ev := range events {
		if ev.Event == "text" {
			var d agent.TextData
			_ = json.Unmarshal(ev.Data, &d)
			b.WriteString(d.Text)
		}
	}
	return b.String()
}

func TestTablesAPIAddJoinChangeUndo(t *testing.T) {
	env := newTestEnv(t, withTables(tables.Options{}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "orders.csv", ordersCSV)

	status, body := env.addFile(alice, sess.SessionID, "customers.csv", customersCSV)
	if status != http.StatusOK || !strings.Contains(string(body), `"table":"customers"`) {
		t.Fatalf("add file: %d %s", status, body)
	}
	st := env.tablesState(alice, sess.SessionID)
	if len(st.Tables) != 2 || st.Tables[0].Name != "orders" || !st.Tables[0].Primary || st.Tables[1].RowCount != 3 {
		t.Fatalf("tables: %+v", st.Tables)
	}

	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	// SQL mode joins the two files.
	c.send(map[string]string{"type": "message", "text": "SELECT c.name, sum(o.amount) AS total FROM orders o JOIN customers c USING (customer_id) GROUP BY 1 ORDER BY 1"})
	events := c.until("done", 30*time.Second)
	qr := find(events, "query_result")
	if qr == nil || !strings.Contains(string(qr.Data), `"Ann"`) || doneOf(t, events).DataUpdated {
		t.Fatalf("join in SQL mode: %v", names(events))
	}

	// CREATE OR REPLACE TABLE is parsed by the server and becomes a version.
	c.send(map[string]string{"type": "message", "text": "CREATE OR REPLACE TABLE orders AS SELECT * FROM orders WHERE amount IS NOT NULL"})
	events = c.until("done", 30*time.Second)
	if !doneOf(t, events).DataUpdated || !strings.Contains(texts(events), "Changed table `orders`") {
		t.Fatalf("change: %v %s", names(events), texts(events))
	}
	if d := env.detail(alice, sess.SessionID); d.File.RowCount != 4 || len(d.File.Preview) != 4 {
		t.Fatalf("preview after the change: %d rows, %d shown", d.File.RowCount, len(d.File.Preview))
	}
	if _, body := env.doJSON("GET", "/api/sessions", alice, nil); !strings.Contains(string(body), `"row_count":4,`) {
		t.Fatalf("the session list after the change: %s", body)
	}
	// CREATE TABLE without OR REPLACE does not overwrite.
	c.send(map[string]string{"type": "message", "text": "CREATE TABLE orders AS SELECT 1"})
	events = c.until("done", 30*time.Second)
	if find(events, "error") == nil || doneOf(t, events).DataUpdated {
		t.Fatalf("create over an existing table: %v", names(events))
	}

	// Undo brings the upload back, in the preview too; redo the change.
	status, body = env.doJSON("POST", "/api/sessions/"+sess.SessionID+"/undo", alice, nil)
	if status != http.StatusOK {
		t.Fatalf("undo: %d %s", status, body)
	}
	if d := env.detail(alice, sess.SessionID); len(d.File.Preview) != 5 {
		t.Fatalf("preview after undo: %d rows", len(d.File.Preview))
	}
	status, _ = env.doJSON("POST", "/api/sessions/"+sess.SessionID+"/redo", alice, map[string]string{"table": "orders"})
	if d := env.detail(alice, sess.SessionID); status != http.StatusOK || len(d.File.Preview) != 4 {
		t.Fatalf("redo: %d, %d rows", status, len(d.File.Preview))
	}
	st = env.tablesState(alice, sess.SessionID)
	if len(st.Versions) != 3 || st.Versions[2].Author != "user" || st.ChangedAt == nil {
		t.Fatalf("versions: %+v", st.Versions)
	}

	// A change through the API, a table preview, a version download.
	status, body = env.doJSON("POST", "/api/sessions/"+sess.SessionID+"/changes", alice,
		map[string]string{"table": "customers", "sql": "SELECT * EXCLUDE (signup) FROM customers", "description": "Dropped signup"})
	if status != http.StatusOK || !strings.Contains(string(body), `"column_count":2`) {
		t.Fatalf("change via the API: %d %s", status, body)
	}
	status, body = env.doJSON("GET", "/api/sessions/"+sess.SessionID+"/tables/customers/preview", alice, nil)
	if status != http.StatusOK || strings.Contains(string(body), "signup") || !strings.Contains(string(body), "Ann") {
		t.Fatalf("table preview: %d %s", status, body)
	}
	req := httptest.NewRequest("GET", "/api/sessions/"+sess.SessionID+"/versions/"+st.Versions[0].ID+"/download", nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	status, body = env.do(req)
	if status != http.StatusOK || !bytes.HasPrefix(body, []byte("PAR1")) {
		t.Fatalf("download: %d %d bytes", status, len(body))
	}

	// Somebody else sees none of it.
	bob := env.register("bob@example.com")
	for _, path := range []string{"/tables", "/tables/customers/preview", "/versions/" + st.Versions[0].ID + "/download"} {
		if status, _ := env.doJSON("GET", "/api/sessions/"+sess.SessionID+path, bob, nil); status != http.StatusNotFound {
			t.Errorf("bob GET %s: %d", path, status)
		}
	}
	if status, _ := env.doJSON("POST", "/api/sessions/"+sess.SessionID+"/undo", bob, nil); status != http.StatusNotFound {
		t.Errorf("bob undo: %d", status)
	}
	// Nor can bob add alice's upload to his session.
	bobs := env.upload(bob, "b.csv", "x\n1\n")
	if status, _ := env.doJSON("POST", "/api/sessions/"+bobs.SessionID+"/tables", bob, map[string]string{"from_session_id": sess.SessionID}); status != http.StatusNotFound {
		t.Errorf("bob adding alice's upload: %d", status)
	}
	// Alice can add an earlier upload of hers without uploading it again.
	older := env.upload(alice, "customers 2023.csv", customersCSV)
	status, body = env.doJSON("POST", "/api/sessions/"+sess.SessionID+"/tables", alice, map[string]string{"from_session_id": older.SessionID})
	if status != http.StatusOK || !strings.Contains(string(body), `"table":"customers_2023"`) {
		t.Fatalf("add an earlier upload: %d %s", status, body)
	}

	// Deleting the session removes every version once its undo window is over.
	if status, _ := env.doJSON("DELETE", "/api/sessions/"+sess.SessionID, alice, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	env.now = env.now.Add(UndoWindow + time.Second)
	env.srv.purgeDeleted(t.Context())
	for _, f := range env.leftovers() {
		if strings.HasPrefix(f, sess.SessionID) {
			t.Fatalf("left behind: %s", f)
		}
	}
}

func TestBuiltinChangesAndJoin(t *testing.T) {
	env := newTestEnv(t, withTables(tables.Options{}), withChangerAnalyst(func(e *duck.Engine, c agent.Changer) agent.Analyst {
		return builtin.New(e, builtin.WithChanger(c))
	}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "orders.csv", ordersCSV)
	if status, body := env.addFile(alice, sess.SessionID, "customers.csv", customersCSV); status != http.StatusOK {
		t.Fatalf("add: %d %s", status, body)
	}
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(text string) []wsEvent {
		t.Helper()
		c.send(map[string]string{"type": "message", "text": text})
		return c.until("done", 60*time.Second)
	}

	events := ask("join orders and customers")
	if !strings.Contains(texts(events), "customer_id") || doneOf(t, events).DataUpdated {
		t.Fatalf("join: %s", texts(events))
	}
	var joined agent.QueryResult
	for _, ev := range events {
		if ev.Event == "query_result" {
			_ = json.Unmarshal(ev.Data, &joined)
		}
	}
	if joined.RowCount != 4 || !strings.Contains(strings.Join(joined.Columns, ","), "name") {
		t.Fatalf("joined rows: %d %v", joined.RowCount, joined.Columns)
	}

	for _, tc := range []struct {
		text       string
		table      string
		rows, cols int64
	}{
		{"remove rows where amount is empty", "orders", 4, 4},
		{"drop column note", "orders", 4, 3},
		{"rename amount to total", "orders", 4, 3},
		{"convert signup to date", "customers", 3, 3},
	} {
		events := ask(tc.text)
		if !doneOf(t, events).DataUpdated {
			t.Fatalf("%q: not applied: %s %v", tc.text, texts(events), names(events))
		}
		st := env.tablesState(alice, sess.SessionID)
		for _, tb := range st.Tables {
			if tb.Name == tc.table && (tb.RowCount != tc.rows || tb.ColumnCount != tc.cols) {
				t.Fatalf("%q: %s is %d×%d", tc.text, tb.Name, tb.RowCount, tb.ColumnCount)
			}
		}
	}
	st := env.tablesState(alice, sess.SessionID)
	if cols := strings.Join(st.Tables[0].Columns, ","); cols != "order_id,customer_id,total" {
		t.Fatalf("columns after the changes: %s", cols)
	}
	last := st.Versions[len(st.Versions)-1]
	if last.Author != "builtin" || last.Description != "Converted column signup to date" {
		t.Fatalf("last version: %+v", last)
	}
	res, err := env.engine.Query(t.Context(), sess.SessionID, "SELECT typeof(signup) FROM customers LIMIT 1")
	if err != nil || res.Rows[0][0] != "DATE" {
		t.Fatalf("signup type: %v %v", res, err)
	}
	// A column that is not there changes nothing.
	events = ask("drop column nope")
	if doneOf(t, events).DataUpdated || !strings.Contains(texts(events), "no column named nope") {
		t.Fatalf("unknown column: %s", texts(events))
	}
}

func TestModelTransformTool(t *testing.T) {
	// A fake Anthropic API in the real wire format: the model joins in a
	// column, then tries to write outside the session, then answers.
	fake := anthropictest.New(t,
		anthropictest.Stream(anthropictest.Tool("toolu_1", "transform_data", map[string]any{
			"table": "orders", "sql": "SELECT o.*, c.name FROM orders o LEFT JOIN customers c USING (customer_id)",
			"description": "Joined in the customer's name"})),
		anthropictest.Stream(anthropictest.Tool("toolu_2", "transform_data", map[string]any{
			"table": "orders", "sql": "COPY orders TO '/tmp/stolen.csv'", "description": "exfiltrate"})),
		anthropictest.Stream(anthropictest.Text("I joined on customer_id.")),
		anthropictest.Message("Customer names"),
	)
	model, err := anthropic.New(anthropic.Config{APIKey: "sk-test", BaseURL: fake.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, withTables(tables.Options{}), withChangerAnalyst(func(e *duck.Engine, c agent.Changer) agent.Analyst {
		return llm.NewAnalyst(model, e, llm.Options{Changer: c, SendRows: true, RetryBase: 10 * time.Millisecond})
	}))
	addr := env.listen()
	alice := env.register("alice@example.com")
	sess := env.upload(alice, "orders.csv", ordersCSV)
	if status, body := env.addFile(alice, sess.SessionID, "customers.csv", customersCSV); status != http.StatusOK {
		t.Fatalf("add: %d %s", status, body)
	}
	c, _, err := dialWS(t, addr, sess.SessionID, alice)
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]string{"type": "message", "text": "add each order's customer name"})
	events := c.until("done", 60*time.Second)
	if !doneOf(t, events).DataUpdated || !strings.Contains(texts(events), "Changed table `orders`") {
		t.Fatalf("transform: %v %s", names(events), texts(events))
	}
	st := env.tablesState(alice, sess.SessionID)
	if st.Tables[0].ColumnCount != 5 || len(st.Versions) != 3 || st.Versions[2].Author != "model" || st.Versions[2].Description != "Joined in the customer's name" {
		t.Fatalf("state: %+v", st)
	}
	// The model was told about both tables, the measured key and the tool.
	first := fake.Requests()[0]
	system, _ := json.Marshal(first.Body["system"])
	tools, _ := json.Marshal(first.Body["tools"])
	for _, want := range []string{`Table \"customers\"`, `\"orders\".\"customer_id\" = \"customers\".\"customer_id\": 3 of the 4 distinct values`} {
		if !strings.Contains(string(system), want) {
			t.Errorf("the system prompt lacks %s: %s", want, system)
		}
	}
	if !strings.Contains(string(tools), "transform_data") {
		t.Errorf("the tools lack transform_data: %s", tools)
	}
	// The second call tried to write outside the session: the model read
	// that it was refused, and nothing else changed.
	third, _ := json.Marshal(fake.Requests()[2].Body["messages"])
	if !strings.Contains(string(third), "The change was not applied") {
		t.Fatalf("the refusal did not reach the model: %s", third)
	}
	if _, err := os.Stat("/tmp/stolen.csv"); err == nil {
		t.Fatal("a file was written outside the session")
	}
}
