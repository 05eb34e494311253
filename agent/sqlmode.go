package agent

import (
	"context"
)

// runSQL answers a message that is itself one SQL statement: it runs in the
// sandbox and the rows go back as a query_result, with no model involved.
func (a *Agent) runSQL(ctx context.Context, req Request, sink Sink) error {
	sink.Emit(Event{Event: EventStatus, Data: map[string]string{"message": "Running query…"}})
	payload := RunQuery(ctx, a.engine, req.Dataset.SessionID, req.Text)
	sink.Emit(Event{Event: EventQueryResult, Data: payload})
	return sink.Save(context.WithoutCancel(ctx), payload.Record())
}
