package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/analyzerhq/analyzer/apperr"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 64 << 10

// bodyReader returns the request body as a stream. Bodies are streamed
// (the upload must not sit in memory), so c.Body() would read a body of any
// size whole: handlers read through this instead, under a limit.
func bodyReader(c *fiber.Ctx) io.Reader {
	if s := c.Context().RequestBodyStream(); s != nil {
		return s
	}
	return bytes.NewReader(c.Request().Body())
}

// decodeJSON reads a JSON object of at most maxJSONBody bytes into v.
func decodeJSON(c *fiber.Ctx, v any) error {
	if c.Request().Header.ContentLength() > maxJSONBody {
		return apperr.New(apperr.TooLarge, "request body is too large")
	}
	raw, err := io.ReadAll(io.LimitReader(bodyReader(c), maxJSONBody+1))
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "could not read the request body", err)
	}
	if len(raw) > maxJSONBody {
		return apperr.New(apperr.TooLarge, "request body is too large")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return apperr.New(apperr.Invalid, "request body is empty: expected a JSON object")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return apperr.New(apperr.Invalid, fmt.Sprintf("%s must be a %s", typeErr.Field, typeErr.Type.Kind()))
		}
		return apperr.New(apperr.Invalid, "request body is not a valid JSON object")
	}
	return nil
}
