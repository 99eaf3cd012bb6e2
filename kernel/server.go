package kernel

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/interrupt"
)

// Options configure Serve. The zero value is usable.
type Options struct {
	// Logger receives one line per dropped message or failed send. Nil
	// logs to stderr; log.New(io.Discard, "", 0) silences it.
	Logger *log.Logger
	// Version is the implementation_version in kernel_info replies.
	// Empty means "dev".
	Version string
	// Banner is shown by consoles; empty means a one-line default.
	Banner string
	// NoSIGINT leaves SIGINT alone. By default Serve handles SIGINT as an
	// interrupt_request (interrupting the running cell) for as long as it
	// runs, so the signal never kills the kernel.
	NoSIGINT bool
	// Ready, when set, is called once every socket listens, with the bound
	// endpoints (a tcp port 0 in the connection file binds a free port).
	Ready func(Endpoints)
}

// Serve runs a kernel for eng on the sockets described by the connection
// file, until a shutdown_request (restart or not) is answered or ctx is
// done; then it closes the sockets and the engine and returns nil. It
// returns an error only when the kernel cannot start: an unreadable
// connection file, an unsupported signature scheme, a port in use.
func Serve(ctx context.Context, connectionFile string, eng Engine, opts Options) error {
	info, err := ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	return ServeInfo(ctx, info, eng, opts)
}

// ServeInfo is Serve with the connection information already read.
func ServeInfo(ctx context.Context, info ConnectionInfo, eng Engine, opts Options) error {
	if err := info.check(); err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	k, err := newKernel(info, eng, opts)
	if err != nil {
		return err
	}
	return k.run(ctx)
}

// kernel is one running kernel: its sockets, its execution state and the
// engine it serves.
type kernel struct {
	info     ConnectionInfo
	eng      Engine
	opts     Options
	log      *log.Logger
	signer   *signer
	session  string // this kernel's session id, in every header it sends
	username string
	lang     interp.LanguageInfo // asked once: control may need it while a cell runs

	ctx    context.Context // cancelled when the kernel stops
	cancel context.CancelFunc

	shell, control, stdin *channel
	iopub                 *channel
	hb                    zmq4.Socket

	shellQ  chan *message // shell requests, in arrival order
	inputs  chan *message // input_reply messages from stdin
	inputMu sync.Mutex    // one input_request at a time

	// Owned by the shell goroutine.
	count       int       // execution count
	abortBefore time.Time // after a failed cell with stop_on_error: abort execute requests received before this
	history     history

	mu      sync.Mutex
	running context.CancelFunc // cancels the running cell; nil when idle

	stopRequested atomic.Bool // set by a shutdown_request's handler
	closing       atomic.Bool // set before the sockets close
	stopOnce      sync.Once
	stopped       chan struct{} // closed by a shutdown_request
}

func newKernel(info ConnectionInfo, eng Engine, opts Options) (*kernel, error) {
	s, err := newSigner(info.SignatureScheme, []byte(info.Key))
	if err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	lg := opts.Logger
	if lg == nil {
		lg = log.New(os.Stderr, "gonn kernel: ", log.LstdFlags)
	}
	name := "kernel"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return &kernel{
		info:     info,
		eng:      eng,
		opts:     opts,
		log:      lg,
		signer:   s,
		session:  newID(),
		username: name,
		lang:     eng.LanguageInfo(),
		shellQ:   make(chan *message, 4096),
		inputs:   make(chan *message, 16),
		stopped:  make(chan struct{}),
		history:  history{session: 1},
	}, nil
}

// channel is a socket with a mutex for sends: zmq4 sockets are not meant
// for concurrent multi-frame sends.
type channel struct {
	name string
	sock zmq4.Socket
	mu   sync.Mutex
}

func (c *channel) send(frames [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("kernel: sending on %s: %w", c.name, err)
	}
	return nil
}

// listen binds every socket. On error it closes what it opened.
func (k *kernel) listen() (Endpoints, error) {
	zlog := zmq4.WithLogger(log.New(k.log.Writer(), k.log.Prefix()+"zmq4: ", k.log.Flags()))
	mk := func(name string, s zmq4.Socket) *channel { return &channel{name: name, sock: s} }
	// The sockets outlive k.ctx, which ends cells at shutdown: the last
	// replies and statuses still go out, and closeSockets ends them.
	sctx := context.Background()
	k.shell = mk("shell", zmq4.NewRouter(sctx, zlog))
	k.control = mk("control", zmq4.NewRouter(sctx, zlog))
	k.stdin = mk("stdin", zmq4.NewRouter(sctx, zlog))
	k.iopub = mk("iopub", zmq4.NewPub(sctx, zlog))
	k.hb = zmq4.NewRouter(sctx, zlog)
	var ep Endpoints
	for _, s := range []struct {
		sock zmq4.Socket
		port int
		addr *string
	}{
		{k.shell.sock, k.info.ShellPort, &ep.Shell},
		{k.iopub.sock, k.info.IOPubPort, &ep.IOPub},
		{k.stdin.sock, k.info.StdinPort, &ep.Stdin},
		{k.control.sock, k.info.ControlPort, &ep.Control},
		{k.hb, k.info.HBPort, &ep.HB},
	} {
		e := k.info.endpoint(s.port)
		if err := s.sock.Listen(e); err != nil {
			k.closeSockets()
			return ep, fmt.Errorf("kernel: listening on %s: %w", e, err)
		}
		*s.addr = e
		if a := s.sock.Addr(); a != nil && k.info.Transport == "tcp" {
			*s.addr = "tcp://" + a.String()
		}
	}
	return ep, nil
}

func (k *kernel) closeSockets() {
	k.closing.Store(true)
	for _, s := range []zmq4.Socket{k.shell.sock, k.control.sock, k.stdin.sock, k.iopub.sock, k.hb} {
		if s != nil {
			_ = s.Close()
		}
	}
}

// run serves until shutdown or ctx is done.
func (k *kernel) run(ctx context.Context) error {
	k.ctx, k.cancel = context.WithCancel(ctx)
	defer k.cancel()
	ep, err := k.listen()
	if err != nil {
		return err
	}
	if !k.opts.NoSIGINT {
		sigc := make(chan os.Signal, 1)
		signal.Notify(sigc, os.Interrupt)
		defer signal.Stop(sigc)
		go func() {
			for {
				select {
				case <-sigc:
					k.interrupt()
				case <-k.ctx.Done():
					return
				}
			}
		}()
	}

	var wg sync.WaitGroup
	shellDone := make(chan struct{})
	wg.Add(4)
	go func() { defer wg.Done(); k.readLoop(k.shell, k.queueShell) }()
	go func() { defer wg.Done(); k.readLoop(k.control, k.serveControl) }()
	go func() { defer wg.Done(); k.readLoop(k.stdin, k.receiveInput) }()
	go func() { defer wg.Done(); k.heartbeat() }()
	go func() { defer close(shellDone); k.serveShell() }()

	k.publishStatus("starting", nil)
	if k.opts.Ready != nil {
		k.opts.Ready(ep)
	}

	select {
	case <-k.stopped:
	case <-ctx.Done():
	}
	k.interrupt()
	k.cancel()
	// Let the running cell notice its cancelled context and end; an engine
	// that ignores it is abandoned rather than waited for forever.
	select {
	case <-shellDone:
	case <-time.After(5 * time.Second):
		k.log.Print("the running cell did not stop within 5s of shutdown; closing anyway")
	}
	// PUB sends are queued: give the last status messages a moment to leave.
	time.Sleep(50 * time.Millisecond)
	k.closeSockets()
	wg.Wait()
	if err := k.eng.Close(); err != nil {
		k.log.Printf("closing the engine: %v", err)
	}
	return nil
}

// readLoop receives messages on c, decodes them and hands them to handle,
// until the socket is closed. Bad messages are logged and dropped.
func (k *kernel) readLoop(c *channel, handle func(*message)) {
	for {
		raw, err := c.sock.Recv()
		if err != nil {
			if !k.closing.Load() {
				k.log.Printf("%s: receive failed, no longer serving it: %v", c.name, err)
			}
			return
		}
		m, err := decode(raw.Frames, k.signer)
		if err != nil {
			k.log.Printf("%s: dropped a message: %v", c.name, err)
			continue
		}
		handle(m)
	}
}

// shutdown makes run return.
func (k *kernel) shutdown() { k.stopOnce.Do(func() { close(k.stopped) }) }

// interrupt stops the running cell, if any: it cancels the cell's context
// and raises the flag that compiled code polls. Idle, it does nothing.
func (k *kernel) interrupt() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.running != nil {
		k.running()
		interrupt.Raise()
	}
}

// banner is the kernel_info banner.
func (k *kernel) banner() string {
	if k.opts.Banner != "" {
		return k.opts.Banner
	}
	return "gonn: Go for neural networks, on the yaegi interpreter (Go " + strings.TrimPrefix(k.lang.Version, "go") + ")"
}
