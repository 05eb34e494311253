// Package s3test gives tests a real S3-compatible server: the one named by
// TEST_S3_ENDPOINT or, when it is not set, a throwaway SeaweedFS server
// (the weed binary: WEED_BIN, or weed on PATH or in $(go env GOPATH)/bin;
// .ci/run builds it from the Go module proxy at a pinned version) in a
// temporary folder. Without either the test is skipped, except under
// CI=true, where it fails.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// EnvEndpoint names an existing server (path-style; its keys in
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
const EnvEndpoint = "TEST_S3_ENDPOINT"

// Server is an S3-compatible endpoint and the keys to use with it.
type Server struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Region    string
}

var (
	once    sync.Once
	shared  *Server
	proc    *exec.Cmd
	procDir string
	initErr error
)

// Start returns the shared server, started on first use.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() {
		if ep := os.Getenv(EnvEndpoint); ep != "" {
			shared = &Server{Endpoint: ep, AccessKey: os.Getenv("AWS_ACCESS_KEY_ID"),
				SecretKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), Region: "us-east-1"}
			return
		}
		shared, initErr = startWeed()
	})
	if initErr != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("an S3-compatible server is needed in CI: %v", initErr)
		}
		tb.Skipf("no S3-compatible server for this test (set %s or build weed): %v", EnvEndpoint, initErr)
	}
	return shared
}

// Bucket creates a new, empty bucket and returns its name.
func (s *Server) Bucket(tb testing.TB) string {
	tb.Helper()
	name, err := s.NewBucket()
	if err != nil {
		tb.Fatalf("create bucket: %v", err)
	}
	return name
}

// NewBucket creates a new, empty bucket and returns its name.
func (s *Server) NewBucket() (string, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name})
	return name, err
}

// Standalone starts a throwaway SeaweedFS server for a program that is
// not a test (the load benchmark), and returns it with the function that
// stops it.
func Standalone() (*Server, func(), error) {
	s, err := startWeed()
	if err != nil {
		return nil, nil, err
	}
	cmd, dir := proc, procDir
	return s, func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}, nil
}

// Client is a path-style client of the server.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:                     s.Region,
		BaseEndpoint:               aws.String(s.Endpoint),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// Env is the AWS_* variables that point the application at the server.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL_S3=" + s.Endpoint, "AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey, "AWS_REGION=" + s.Region}
}

// Main runs the tests and stops the throwaway server, if one was started.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if proc != nil && proc.Process != nil {
		_ = proc.Process.Kill()
		_ = proc.Wait()
		os.RemoveAll(procDir)
	}
	return code
}

func weedBin() (string, error) {
	if b := os.Getenv("WEED_BIN"); b != "" {
		return b, nil
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "weed")
	if _, err := os.Stat(p); err != nil {
		return "", errors.New("weed not found (WEED_BIN, PATH or GOPATH/bin)")
	}
	return p, nil
}

func startWeed() (*Server, error) {
	bin, err := weedBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "s3test-")
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(8)
	if err != nil {
		return nil, err
	}
	p := func(i int) string { return strconv.Itoa(ports[i]) }
	cmd := exec.Command(bin, "server", "-dir="+dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port="+p(0), "-master.port.grpc="+p(1),
		"-volume.port="+p(2), "-volume.port.grpc="+p(3),
		"-filer.port="+p(4), "-filer.port.grpc="+p(5),
		"-s3", "-s3.port="+p(6), "-s3.port.grpc="+p(7),
		"-volume.max=0", "-master.volumeSizeLimitMB=64")
	logf, _ := os.Create(filepath.Join(dir, "weed.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	proc, procDir = cmd, dir
	s := &Server{Endpoint: "http://127.0.0.1:" + p(6), AccessKey: "analyzer", SecretKey: "analyzer-secret", Region: "us-east-1"}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := s.Client().ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			// The filer answers before a volume is ready to take
			// writes: one write proves it.
			if err = s.probeWrite(); err == nil {
				return s, nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
	return nil, fmt.Errorf("weed did not start: %s", tail(log, 2000))
}

func (s *Server) probeWrite() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := s.Client()
	bucket := "probe"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		var exists interface{ ErrorCode() string }
		if !errors.As(err, &exists) {
			return err
		}
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("probe"), Body: http.NoBody})
	return err
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
