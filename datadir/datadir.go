// Package datadir names what lives in the data folder (DATA_DIR), in one
// place, for every package that reads or writes it: the server (uploads),
// the configuration (the signing key), the start-up repair (reconcile),
// the application (the lock) and the load tools. The data engine (duck)
// still spells the names it writes itself (data.parquet, tmp, upload-),
// and they must stay equal to these.
//
//	DATA_DIR/
//	  {session_id}/original.csv|original.parquet   the upload as it came
//	  {session_id}/data.parquet                    the typed copy queries read
//	  .secret_key                                  the generated signing key
//	  .settings.json                               model settings made in the page (mode 0600)
//	  .uploads/upload-*                            uploads while they stream in
//	  .orphans/                                    datasets found without a session
//	  .lock                                        held by the running server
//	  tmp/                                         the engine's spill directory
package datadir

import "path/filepath"

// Names inside the data folder.
const (
	// Uploads holds uploads while they stream in.
	Uploads = ".uploads"
	// UploadPrefix starts the name of an upload's temporary file.
	UploadPrefix = "upload-"
	// Orphans holds complete datasets found without a session.
	Orphans = ".orphans"
	// Lock is held by the process serving the folder.
	Lock = ".lock"
	// SecretKey holds the generated signing key.
	SecretKey = ".secret_key"
	// Settings holds the model settings made in the page.
	Settings = ".settings.json"
	// DataFile is a session's typed Parquet copy, inside its directory.
	DataFile = "data.parquet"
	// Temp is the data engine's spill directory.
	Temp = "tmp"
	// TempSuffix ends files written then renamed into place.
	TempSuffix = ".tmp"
)

// UploadsDir is the directory of uploads in progress under dir.
func UploadsDir(dir string) string { return filepath.Join(dir, Uploads) }

// OrphansDir is the quarantine directory under dir.
func OrphansDir(dir string) string { return filepath.Join(dir, Orphans) }

// SecretKeyFile is the signing key's file under dir.
func SecretKeyFile(dir string) string { return filepath.Join(dir, SecretKey) }

// SettingsFile is the page's model settings' file under dir.
func SettingsFile(dir string) string { return filepath.Join(dir, Settings) }

// LockFile is the lock's file under dir.
func LockFile(dir string) string { return filepath.Join(dir, Lock) }

// SessionDataFile is a session's Parquet copy under dir.
func SessionDataFile(dir, sessionID string) string { return filepath.Join(dir, sessionID, DataFile) }
