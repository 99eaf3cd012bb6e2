package kernel

// heartbeat echoes every message back to its sender, as ipykernel's
// heartbeat does. It is a ROUTER rather than a REP socket so that several
// clients (each a REQ socket) can ping at once.
func (k *kernel) heartbeat() {
	for {
		m, err := k.hb.Recv()
		if err != nil {
			return
		}
		if len(m.Frames) == 0 {
			continue
		}
		if err := k.hb.SendMulti(m); err != nil && !k.closing.Load() {
			k.log.Printf("heartbeat: echo failed: %v", err)
		}
	}
}
