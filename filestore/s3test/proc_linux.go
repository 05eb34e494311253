package s3test

import (
	"os/exec"
	"syscall"
)

// setDeathSignal ends the server with the test process.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
