package server

import (
	"bytes"
	"os"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
	"github.com/analyzerhq/analyzer/samples"
)

// listSamples lists the sample datasets the binary carries:
// GET /api/samples.
func (s *Server) listSamples(c *fiber.Ctx) error {
	return c.JSON(samples.List())
}

// loadSample makes a session of a sample dataset for the caller, through
// the upload's own path (quota, receiving, ingest): POST /api/samples/{id}.
// The answer is the upload's.
func (s *Server) loadSample(c *fiber.Ctx) error {
	sample, data, ok := samples.Get(c.Params("id"))
	if !ok {
		return apperr.New(apperr.NotFound, "no such sample dataset")
	}
	slot, err := s.beginUpload(c.UserContext(), currentUser(c).ID, int64(len(data)))
	if err != nil {
		return err
	}
	defer slot.release()
	tmpPath, pre, err := s.receive(slot.limit(bytes.NewReader(data)), sample.Filename)
	if err != nil {
		return err
	}
	defer os.Remove(tmpPath)
	sess, err := s.ingestSession(c, slot, tmpPath, sample.Filename, pre)
	if err != nil {
		return err
	}
	return c.JSON(uploadResponse{SessionID: sess.ID, File: s.fileInfo(c, sess)})
}
