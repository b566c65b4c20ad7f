// Command ferretdb-embedded runs FerretDB as the project's embedded
// MongoDB-compatible server for `npm start` and `npm test`: on SQLite files in
// a directory (the default), or on a PostgreSQL database (`-handler
// postgresql -postgresql-url postgres://…`, a cluster scripts/lib/postgres.ts
// creates and starts).
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
	handler := flag.String("handler", "sqlite", "sqlite or postgresql")
	dir := flag.String("dir", "", "existing directory for the SQLite files (one file per database); sqlite only")
	postgresqlURL := flag.String("postgresql-url", "", "the PostgreSQL database to keep the data in; postgresql only")
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

	switch *handler {
	case "sqlite":
		if *dir == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-embedded: -dir is required")
			os.Exit(2)
		}
		if info, err := os.Stat(*dir); err != nil || !info.IsDir() {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: data directory %q does not exist\n", *dir)
			os.Exit(2)
		}
	case "postgresql":
		if *postgresqlURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-embedded: -postgresql-url is required with -handler postgresql")
			os.Exit(2)
		}
	default:
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: -handler must be sqlite or postgresql, not %q\n", *handler)
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

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:   logger,
		Handler:  *handler,
	}
	var indexer indexer
	if *handler == "sqlite" {
		config.SQLiteURL = "file:" + *dir + "/"
		indexer = newIDIndexer(*dir)
	} else {
		u, err := url.Parse(*postgresqlURL)
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: bad -postgresql-url: %v\n", err)
			os.Exit(2)
		}
		// FerretDB narrows a query with `_jsonb->$1 @> $2`: only a plan made
		// for the given field name can use that field's index (pgindex.go).
		q := u.Query()
		if !q.Has("plan_cache_mode") {
			q.Set("plan_cache_mode", "force_custom_plan")
			u.RawQuery = q.Encode()
		}
		config.PostgreSQLURL = u.String()
		indexer = newPGIndexer(config.PostgreSQLURL)
	}
	f, err := ferretdb.New(config)
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
	proxy := newWriteSerializer(backend.Host, indexer)
	go func() {
		<-ctx.Done()
		front.Close()
	}()
	go func() { _ = proxy.listen(front) }()

	fmt.Printf("READY mongodb://%s/\n", front.Addr().String())

	<-done
}
