package main

import (
	"context"
	"fmt"

	"github.com/analyzerhq/analyzer/config"
	"github.com/analyzerhq/analyzer/reconcile"
	"github.com/analyzerhq/analyzer/server"
)

// reconcileData runs before the server listens: it takes DATA_DIR's lock
// for the life of the app (released by close) and repairs what a crash
// left between the database and the data directory (see package
// reconcile). A second process on the same directory runs without the lock
// and touches only stale leftovers.
func (a *app) reconcileData(ctx context.Context) error {
	release, exclusive, err := reconcile.Lock(a.cfg.DataDir)
	if err != nil {
		return err
	}
	a.unlock = release
	log := a.log.With("component", "reconcile")
	if !exclusive {
		log.Warn("another process is using the data directory; only stale leftovers are cleaned", "dir", a.cfg.DataDir)
	}
	rep, err := reconcile.Run(ctx, a.db, a.cfg.DataDir, reconcile.Options{Exclusive: exclusive, Log: log})
	if err != nil {
		return fmt.Errorf("check the data directory against the database: %w", err)
	}
	if rep.Repaired() || rep.Problems() {
		log.Warn("data directory reconciled",
			"removed_uploads", len(rep.RemovedUploads), "removed_temp", len(rep.RemovedTemp),
			"removed_incomplete", len(rep.RemovedIncomplete), "quarantined", len(rep.Quarantined),
			"sessions_missing_data", len(rep.MissingData), "sessions_missing_file_record", len(rep.MissingFileRow),
			"database_problems", len(rep.DatabaseProblems))
	}
	return nil
}

// serverLimits turns the configured limits into the server's.
func serverLimits(l config.Limits, r config.Resources) server.Limits {
	rate := func(r config.Rate) server.Rate { return server.Rate{Max: r.Max, Per: r.Per} }
	return server.Limits{
		LoginPerAccount: rate(l.LoginLimit),
		LoginPerIP:      rate(l.LoginIPLimit),
		RegisterPerIP:   rate(l.RegisterLimit),
		TurnsPerUser:    l.MaxTurnsPerUser,
		UploadsPerUser:  l.MaxUploadsPerUser,
		UserQuota:       l.UserQuota,
		RequestTimeout:  l.RequestTimeout,
		WSIdleTimeout:   l.WSIdleTimeout,
		TurnTimeout:     r.TurnTimeout,
	}
}
