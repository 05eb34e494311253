package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun/migrate"

	"github.com/analyzerhq/analyzer/storage/migrations"
)

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Name      string
	Comment   string
	Applied   bool
	AppliedAt time.Time
}

func (db *DB) migrator() *migrate.Migrator {
	// Marked applied only once it succeeded: a failed migration runs again
	// next time instead of being skipped with half a schema.
	return migrate.NewMigrator(db.bun, migrations.All, migrate.WithMarkAppliedOnSuccess(true))
}

// Migrate applies every pending migration and returns their names.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	defer db.resetStatements()
	var names []string
	err := db.withMigrationLock(ctx, func(m *migrate.Migrator) error {
		group, err := m.Migrate(ctx)
		if group != nil {
			for _, mg := range group.Migrations {
				names = append(names, mg.String())
			}
		}
		return err
	})
	if err != nil {
		return names, fmt.Errorf("migrate: %w", err)
	}
	return names, nil
}

// Rollback reverts the last group of applied migrations.
func (db *DB) Rollback(ctx context.Context) ([]string, error) {
	defer db.resetStatements()
	var names []string
	err := db.withMigrationLock(ctx, func(m *migrate.Migrator) error {
		group, err := m.Rollback(ctx)
		if group != nil {
			for _, mg := range group.Migrations {
				names = append(names, mg.String())
			}
		}
		return err
	})
	if err != nil {
		return names, fmt.Errorf("rollback: %w", err)
	}
	return names, nil
}

// MigrationStatuses lists every known migration, oldest first.
func (db *DB) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	m := db.migrator()
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(ms))
	for _, mg := range ms {
		out = append(out, MigrationStatus{Name: mg.Name, Comment: mg.Comment, Applied: mg.IsApplied(), AppliedAt: mg.MigratedAt})
	}
	return out, nil
}

// withMigrationLock runs fn holding Bun's migration lock, waiting a little
// for another process that is migrating the same database.
func (db *DB) withMigrationLock(ctx context.Context, fn func(*migrate.Migrator) error) error {
	m := db.migrator()
	if err := m.Init(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := m.Lock(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return errors.New("another process holds the migration lock; if none is running, a crashed one left it: delete the row of bun_migration_locks")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; a stale row is reported next time
	return fn(m)
}
