package main

import (
	"embed"
	"io/fs"
)

// The built web app. `all:` keeps files whose names start with _ or .,
// which Vite may emit.
//
//go:embed all:web/dist
var webDist embed.FS

// uiFS returns the web app with the web/dist prefix stripped.
func uiFS() fs.FS {
	sub, err := fs.Sub(webDist, "web/dist")
	if err != nil {
		panic(err) // the pattern above guarantees the directory
	}
	return sub
}
