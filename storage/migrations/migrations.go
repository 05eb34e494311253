// Package migrations holds the metadata database's schema changes, one file
// each, named by the time they were written. They are compiled in, so the
// binary carries its own schema.
package migrations

import "github.com/uptrace/bun/migrate"

// All is every migration, registered by the files of this package.
var All = migrate.NewMigrations()
