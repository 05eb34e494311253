package storage

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// User is an account.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           string    `bun:"id,pk" json:"id"`
	Email        string    `bun:"email,notnull,unique" json:"email"`
	PasswordHash string    `bun:"password_hash,notnull" json:"-"`
	CreatedAt    time.Time `bun:"created_at,notnull" json:"created_at"`
	// TokenVersion is carried in the user's tokens; a password change
	// raises it, so that older tokens stop working.
	TokenVersion int64 `bun:"token_version,notnull,default:0" json:"-"`
	// IsAdmin lets the account see the active model configuration in
	// server mode (`user add --admin`).
	IsAdmin bool `bun:"is_admin,notnull,default:false" json:"-"`
}

// Session is one uploaded dataset and the conversation about it.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID        string    `bun:"id,pk" json:"id"`
	UserID    string    `bun:"user_id,notnull" json:"-"`
	Title     string    `bun:"title,notnull" json:"title"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	// DeletedAt marks a session deleted and waiting for its purge (trash.go).
	DeletedAt *time.Time `bun:"deleted_at" json:"-"`
	// TitleByUser says the user named the session (trash.go).
	TitleByUser bool `bun:"title_by_user,notnull,default:false" json:"-"`
	// ModelChoice names the model that answers the session's next turns
	// (an analysts choice id); empty means the configured default.
	ModelChoice string `bun:"model_choice,notnull,default:''" json:"-"`

	File *File `bun:"rel:has-one,join:id=session_id" json:"file,omitempty"`
}

// File is the dataset a session holds.
type File struct {
	bun.BaseModel `bun:"table:files"`

	ID         string `bun:"id,pk" json:"-"`
	SessionID  string `bun:"session_id,notnull" json:"-"`
	Filename   string `bun:"filename,notnull" json:"filename"`
	PathOnDisk string `bun:"path_on_disk,notnull" json:"-"`
	RowCount   int64  `bun:"row_count,notnull" json:"row_count"`
	ColCount   int    `bun:"col_count,notnull" json:"column_count"`
	Columns    JSON   `bun:"columns" json:"-"` // ["name", ...]
	// Added to the contract's columns: what the data engine learnt at ingest.
	ColumnTypes  JSON   `bun:"column_types" json:"-"` // ["BIGINT", ...]
	Format       string `bun:"format,notnull,default:''" json:"format"`
	SizeBytes    int64  `bun:"size_bytes,notnull,default:0" json:"size_bytes"`
	RejectedRows int64  `bun:"rejected_rows,notnull,default:0" json:"rejected_rows"`
	// DiskBytes is what the original and its Parquet copy took on disk at
	// upload; 0 for sessions stored before it was measured.
	DiskBytes int64 `bun:"disk_bytes,notnull,default:0" json:"-"`
	// How a CSV was read: its encoding, the lines left out, and the rest
	// of the engine's report as JSON (see server's readReport).
	Encoding     string `bun:"encoding,notnull,default:''" json:"-"`
	SkippedLines int64  `bun:"skipped_lines,notnull,default:0" json:"-"`
	ReadReport   JSON   `bun:"read_report" json:"-"`
}

// Message is one stored piece of a conversation.
type Message struct {
	bun.BaseModel `bun:"table:messages"`

	ID        string    `bun:"id,pk" json:"id"`
	SessionID string    `bun:"session_id,notnull" json:"-"`
	Role      string    `bun:"role,notnull" json:"role"`
	Text      string    `bun:"text,notnull" json:"text"`
	Type      string    `bun:"type,notnull" json:"type"`
	PlotData  JSON      `bun:"plot_data" json:"plot_data"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	// Added to the contract's columns.
	Data    JSON `bun:"data" json:"data"`   // type-specific payload: query result, tool call
	Usage   JSON `bun:"usage" json:"usage"` // model tokens of an assistant turn
	Stopped bool `bun:"stopped,notnull,default:false" json:"stopped"`
	// Kind is what a user message asked for: "message" or "auto_analyze";
	// empty for the assistant's.
	Kind string `bun:"kind,notnull,default:''" json:"kind,omitempty"`
	// SupersededBy is set on a message that a retried or edited question
	// replaced: the id of the user message whose reply replaced it.
	SupersededBy *string `bun:"superseded_by" json:"superseded_by,omitempty"`
	// Who answered, and what it cost: set on an assistant's records; the
	// token counts and cost on those that carry a model call's usage.
	Provider         string `bun:"provider,notnull,default:''" json:"-"`
	Model            string `bun:"model,notnull,default:''" json:"-"`
	ModelLocal       bool   `bun:"model_local,notnull,default:false" json:"-"` // ran on this computer: free
	InputTokens      int64  `bun:"input_tokens,notnull,default:0" json:"-"`
	OutputTokens     int64  `bun:"output_tokens,notnull,default:0" json:"-"`
	CacheReadTokens  int64  `bun:"cache_read_tokens,notnull,default:0" json:"-"`
	CacheWriteTokens int64  `bun:"cache_write_tokens,notnull,default:0" json:"-"`
	CostNanoUSD      int64  `bun:"cost_nano_usd,notnull,default:0" json:"-"`
}

// ColumnList returns the file's column names and types as stored at
// upload. A column list that cannot be read is an error (the types may
// be missing: files stored before types were kept have none).
func (f *File) ColumnList() (names, types []string, err error) {
	if len(f.Columns) > 0 {
		if err := json.Unmarshal(f.Columns, &names); err != nil {
			return nil, nil, fmt.Errorf("stored column names of %s: %w", f.SessionID, err)
		}
	}
	if len(f.ColumnTypes) > 0 {
		if err := json.Unmarshal(f.ColumnTypes, &types); err != nil {
			return names, nil, fmt.Errorf("stored column types of %s: %w", f.SessionID, err)
		}
	}
	return names, types, nil
}
