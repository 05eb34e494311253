package config

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultLocalModelPorts are where local OpenAI-compatible servers listen
// by default: Ollama, llama.cpp's server, LM Studio and vLLM.
var DefaultLocalModelPorts = []int{11434, 8080, 1234, 8000}

// Models configures who may use which model, and how much.
type Models struct {
	// MonthlyTokenBudget is ANALYZER_MONTHLY_TOKEN_BUDGET: the model tokens
	// (input and output, cache included) one user may spend in a calendar
	// month (UTC); past it the built-in analyst answers. 0 = no budget.
	MonthlyTokenBudget int64
	// AdminEmails is ANALYZER_ADMIN_EMAILS: accounts that may see the
	// active model configuration in server mode, besides those made with
	// `user add --admin`. Lower-cased.
	AdminEmails []string
	// LocalModelPorts is ANALYZER_LOCAL_MODEL_PORTS: the loopback ports
	// searched for an OpenAI-compatible server ("off" searches none).
	LocalModelPorts []int
}

func (m *Models) load(get func(string, string) string) error {
	var err error
	if m.MonthlyTokenBudget, err = int64Var(get, "ANALYZER_MONTHLY_TOKEN_BUDGET", 0); err != nil {
		return fmt.Errorf("ANALYZER_MONTHLY_TOKEN_BUDGET must be a whole number of tokens (0 for no budget)")
	}
	for _, e := range strings.Split(get("ANALYZER_ADMIN_EMAILS", ""), ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			m.AdminEmails = append(m.AdminEmails, e)
		}
	}
	raw := get("ANALYZER_LOCAL_MODEL_PORTS", "")
	switch strings.ToLower(raw) {
	case "":
		m.LocalModelPorts = append([]int(nil), DefaultLocalModelPorts...)
	case "off", "none", "0":
		m.LocalModelPorts = nil
	default:
		for _, p := range strings.Split(raw, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("ANALYZER_LOCAL_MODEL_PORTS must list port numbers separated by commas (or be off), got %q", raw)
			}
			m.LocalModelPorts = append(m.LocalModelPorts, n)
		}
	}
	return nil
}

func (m *Models) validate() error {
	if m.MonthlyTokenBudget < 0 {
		return fmt.Errorf("ANALYZER_MONTHLY_TOKEN_BUDGET must not be negative (0 for no budget)")
	}
	if len(m.LocalModelPorts) > 16 {
		return fmt.Errorf("ANALYZER_LOCAL_MODEL_PORTS may list at most 16 ports")
	}
	return nil
}

// IsAdmin reports whether ANALYZER_ADMIN_EMAILS names email.
func (m *Models) IsAdmin(email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	for _, e := range m.AdminEmails {
		if e == email {
			return true
		}
	}
	return false
}

// IsSet reports whether the environment (or the .env file) gave the
// variable key a value. Settings saved in the page never override such a
// variable: the page shows it as locked.
func (c *Config) IsSet(key string) bool { return c.set[key] }
