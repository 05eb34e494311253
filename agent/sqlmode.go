package agent

import (
	"context"
)

// runSQL answers a message that is itself one SQL statement: it runs in the
// sandbox and the rows go back as a query_result, with no model involved.
func (a *Agent) runSQL(ctx context.Context, req Request, reply *Reply) error {
	reply.Status("Running query…")
	return reply.Result(RunQuery(ctx, a.engine, req.Dataset.SessionID, req.Text))
}
