// Command ferretdb-embedded runs FerretDB (SQLite backend) as the project's
// embedded MongoDB-compatible server for `npm start` and `npm test`.
//
// It listens on loopback (port 0 picks a free one) through a proxy that makes
// single-document writes atomic (proxy.go), prints one line
// `READY mongodb://127.0.0.1:<port>/` on stdout once it accepts connections,
// and exits on SIGINT/SIGTERM or when the process that started it dies.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dir := flag.String("dir", "", "existing directory for the SQLite files (one file per database)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchParent := flag.Bool("watch-parent", true, "exit when the parent process dies")
	cpuProfile := flag.String("cpu-profile", "", "write a CPU profile of the whole run to this file (for the benchmark)")
	flag.Parse()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: -cpu-profile: %v\n", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: -dir is required")
		os.Exit(2)
	}
	if info, err := os.Stat(*dir); err != nil || !info.IsDir() {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: data directory %q does not exist\n", *dir)
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// FerretDB itself listens on a private loopback port; clients reach it
	// through the write-serialising proxy on -listen (see proxy.go).
	front, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *watchParent {
		// A parent killed with SIGKILL cannot stop us; notice it and leave.
		parent := os.Getppid()
		go func() {
			for range time.Tick(500 * time.Millisecond) {
				if os.Getppid() != parent {
					stop()
					return
				}
			}
		}()
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// MongoDBURI waits until FerretDB's listener is bound.
	backend, err := url.Parse(f.MongoDBURI())
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}
	proxy := newWriteSerializer(backend.Host, newIDIndexer(*dir))
	go func() {
		<-ctx.Done()
		front.Close()
	}()
	go func() { _ = proxy.listen(front) }()

	fmt.Printf("READY mongodb://%s/\n", front.Addr().String())

	<-done
}
