package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/analyzerhq/analyzer/filestore/s3test"
	"github.com/analyzerhq/analyzer/storage/pgtest"
)

// A backend is one deployment the workload runs against.
type backend string

const (
	// sqlite is one instance on SQLite and its data folder: the default.
	backendSQLite backend = "sqlite"
	// pg2 is two instances sharing one PostgreSQL database and one
	// S3-compatible bucket (SeaweedFS), each with its own cache folder;
	// users are spread over them round robin.
	backendPG2 backend = "pg2"
)

func parseBackends(s string) ([]backend, error) {
	var out []backend
	for _, f := range strings.Split(s, ",") {
		switch b := backend(strings.TrimSpace(f)); b {
		case backendSQLite, backendPG2:
			out = append(out, b)
		default:
			return nil, fmt.Errorf("unknown backend %q (sqlite, pg2)", f)
		}
	}
	return out, nil
}

// sharedServices are the throwaway PostgreSQL and SeaweedFS servers the
// pg2 deployment uses, started from the same installed programs as the
// tests' (storage/pgtest, filestore/s3test).
type sharedServices struct {
	pgAdmin string
	s3      *s3test.Server
	stops   []func()
}

func startServices(logf func(string, ...any)) (*sharedServices, error) {
	s := &sharedServices{}
	if dsn := os.Getenv(pgtest.EnvURL); dsn != "" {
		s.pgAdmin = dsn
	} else {
		logf("starting PostgreSQL")
		dsn, stop, err := pgtest.Standalone()
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL: %w", err)
		}
		s.pgAdmin = dsn
		s.stops = append(s.stops, stop)
	}
	if ep := os.Getenv(s3test.EnvEndpoint); ep != "" {
		s.s3 = &s3test.Server{Endpoint: ep, AccessKey: os.Getenv("AWS_ACCESS_KEY_ID"),
			SecretKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), Region: "us-east-1"}
	} else {
		logf("starting SeaweedFS")
		srv, stop, err := s3test.Standalone()
		if err != nil {
			s.stop()
			return nil, fmt.Errorf("SeaweedFS: %w", err)
		}
		s.s3 = srv
		s.stops = append(s.stops, stop)
	}
	return s, nil
}

func (s *sharedServices) stop() {
	for _, f := range s.stops {
		f()
	}
}

// pg2Env is the environment of the two instances: a new database and a
// new bucket, shared by both. The AWS SDK reads its endpoint and keys
// from the process's environment.
func (s *sharedServices) pg2Env() ([]string, error) {
	dsn, err := pgtest.CreateDatabase(s.pgAdmin)
	if err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	bucket, err := s.s3.NewBucket()
	if err != nil {
		return nil, fmt.Errorf("create bucket: %w", err)
	}
	for _, kv := range s.s3.Env() {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	return []string{"DATABASE_URL=" + dsn, "STORAGE_URL=s3://" + bucket + "/data"}, nil
}

// startDeployment starts the backend's instances and returns their
// addresses.
func startDeployment(ctx context.Context, dir string, cfg Config, b backend, svc *sharedServices) ([]string, func(), error) {
	if b == backendSQLite {
		addr, stop, err := startServer(ctx, filepath.Join(dir, "one"), cfg, []string{
			"DATABASE_URL=sqlite:///" + filepath.Join(dir, "meta.db")})
		if err != nil {
			return nil, nil, err
		}
		return []string{addr}, stop, nil
	}
	env, err := svc.pg2Env()
	if err != nil {
		return nil, nil, err
	}
	var addrs []string
	var stops []func()
	stopAll := func() {
		for _, f := range stops {
			f()
		}
	}
	for i := range 2 {
		addr, stop, err := startServer(ctx, filepath.Join(dir, fmt.Sprintf("instance-%d", i)), cfg, env)
		if err != nil {
			stopAll()
			return nil, nil, err
		}
		addrs = append(addrs, addr)
		stops = append(stops, stop)
	}
	return addrs, stopAll, nil
}
