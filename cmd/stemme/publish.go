package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// publishFile writes a file complete beside its place (a temporary file
// named by pattern, readable by its owner only) and puts it in place only
// once write has succeeded and then ready has too (the export's or dump's
// audit entry), so that a failed or unrecorded file never appears, not even
// in part. what prefixes the errors of the file system.
func publishFile(file, pattern, what string, write func(io.Writer) error, ready func() error) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), pattern)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := ready(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
