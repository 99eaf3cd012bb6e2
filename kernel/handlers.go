package kernel

import (
	"runtime"
)

// kernelInfo answers kernel_info_request, on shell and control.
func (k *kernel) kernelInfo(c *channel, m *message) {
	li := k.lang
	version := k.opts.Version
	if version == "" {
		version = "dev"
	}
	if li.Version == "" {
		li.Version = runtime.Version()
	}
	k.reply(c, m, "kernel_info_reply", map[string]any{
		"status":                 "ok",
		"protocol_version":       protocolVersion,
		"implementation":         "gonn",
		"implementation_version": version,
		"language_info": map[string]any{
			"name":               li.Name,
			"version":            li.Version,
			"mimetype":           li.MIMEType,
			"file_extension":     li.FileExtension,
			"pygments_lexer":     li.Pygments,
			"codemirror_mode":    li.CodeMirror,
			"nbconvert_exporter": "script",
		},
		"banner":     k.banner(),
		"help_links": []any{},
		"debugger":   false,
	}, nil)
}

// inspect answers inspect_request.
func (k *kernel) inspect(c *channel, m *message) {
	var req struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.parse(m, &req) {
		return
	}
	b, found := k.eng.Inspect(req.Code, req.CursorPos, req.DetailLevel)
	data, md := bundleFields(b)
	if !found {
		data, md = map[string]any{}, map[string]any{}
	}
	k.reply(c, m, "inspect_reply", map[string]any{
		"status": "ok", "found": found, "data": data, "metadata": md,
	}, nil)
}

// complete answers complete_request. Offsets are in Unicode code points,
// as in protocol 5.2 and later.
func (k *kernel) complete(c *channel, m *message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if !k.parse(m, &req) {
		return
	}
	cursor := len([]rune(req.Code))
	if req.CursorPos != nil {
		cursor = *req.CursorPos
	}
	comp := k.eng.Complete(req.Code, cursor)
	matches := comp.Matches
	if matches == nil {
		matches = []string{}
	}
	if len(matches) == 0 {
		comp.Start, comp.End = cursor, cursor
	}
	md := map[string]any{}
	if len(comp.Types) == len(matches) && len(matches) > 0 {
		types := make([]map[string]any, len(matches))
		for i, s := range matches {
			types[i] = map[string]any{"start": comp.Start, "end": comp.End, "text": s, "type": comp.Types[i]}
		}
		md["_jupyter_types_experimental"] = types
	}
	k.reply(c, m, "complete_reply", map[string]any{
		"status":       "ok",
		"matches":      matches,
		"cursor_start": comp.Start,
		"cursor_end":   comp.End,
		"metadata":     md,
	}, nil)
}

// isComplete answers is_complete_request.
func (k *kernel) isComplete(c *channel, m *message) {
	var req struct {
		Code string `json:"code"`
	}
	if !k.parse(m, &req) {
		return
	}
	r := k.eng.IsComplete(req.Code)
	content := map[string]any{"status": r.Status}
	switch r.Status {
	case "complete", "invalid", "unknown":
	case "incomplete":
		content["indent"] = r.Indent
	default:
		content["status"] = "unknown"
	}
	k.reply(c, m, "is_complete_reply", content, nil)
}

// historyReq answers history_request from the kernel's own history.
func (k *kernel) historyReq(c *channel, m *message) {
	var req historyRequest
	if !k.parse(m, &req) {
		return
	}
	k.reply(c, m, "history_reply", map[string]any{
		"status":  "ok",
		"history": k.history.query(req),
	}, nil)
}

// commInfo answers comm_info_request: the kernel registers no comm targets,
// so no comm is ever open.
func (k *kernel) commInfo(c *channel, m *message) {
	k.reply(c, m, "comm_info_reply", map[string]any{
		"status": "ok", "comms": map[string]any{},
	}, nil)
}

// commOpen refuses comms: no target is registered, so the kernel answers
// with comm_close on iopub, as ipykernel does for an unknown target.
func (k *kernel) commOpen(c *channel, m *message) {
	var req struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if !k.parse(m, &req) {
		return
	}
	k.log.Printf("comm_open for unknown target %q: closing comm %s", req.TargetName, req.CommID)
	k.publish("comm_close", m, map[string]any{"comm_id": req.CommID, "data": map[string]any{}})
}

// commMsg drops messages for comms, none of which can be open.
func (k *kernel) commMsg(c *channel, m *message) {
	k.log.Printf("comm_msg for a comm that is not open: dropped")
}

// commClose ignores closing a comm that was never open.
func (k *kernel) commClose(c *channel, m *message) {}

// connect answers the deprecated connect_request with the ports.
func (k *kernel) connect(c *channel, m *message) {
	k.reply(c, m, "connect_reply", map[string]any{
		"status":       "ok",
		"shell_port":   k.info.ShellPort,
		"iopub_port":   k.info.IOPubPort,
		"stdin_port":   k.info.StdinPort,
		"hb_port":      k.info.HBPort,
		"control_port": k.info.ControlPort,
	}, nil)
}

// shutdownReq answers shutdown_request (on control or shell) and stops the
// kernel once the reply and idle are out. A restart is the same for this
// process: the client starts a new one.
func (k *kernel) shutdownReq(c *channel, m *message) {
	var req struct {
		Restart bool `json:"restart"`
	}
	if !k.parse(m, &req) {
		return
	}
	k.reply(c, m, "shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart}, nil)
	k.interrupt()
	// The serving loop stops the kernel after dispatch has published idle.
	k.stopRequested.Store(true)
}
