package kernel

import (
	"encoding/json"
	"reflect"
	"time"

	"github.com/gonnlab/gonn/output"
)

// publish sends a message on iopub, as a child of parent (nil for none).
// The topic frame is "kernel.SESSION.MSG_TYPE", as ipykernel's.
func (k *kernel) publish(msgType string, parent *message, content any) {
	var ph json.RawMessage
	if parent != nil {
		ph = parent.rawHeader
	}
	topic := []byte("kernel." + k.session + "." + msgType)
	frames, err := encode(k.signer, [][]byte{topic}, k.newHeader(msgType), ph, nil, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	if err := k.iopub.send(frames); err != nil && !k.closing.Load() {
		k.log.Print(err)
	}
}

// newHeader returns a fresh header for a message the kernel sends.
func (k *kernel) newHeader(msgType string) header {
	return header{
		MsgID:    newID(),
		Session:  k.session,
		Username: k.username,
		Date:     formatDate(time.Now()),
		MsgType:  msgType,
		Version:  protocolVersion,
	}
}

// publishStatus publishes execution_state busy, idle or starting.
func (k *kernel) publishStatus(state string, parent *message) {
	k.publish("status", parent, map[string]string{"execution_state": state})
}

// bundleContent is the data/metadata part of display_data, update_display_data
// and execute_result.
type bundleContent struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient map[string]any `json:"transient"`
}

// bundleFields returns b's data and metadata with nil maps as {} and null
// values dropped: Jupyter's validators reject null where an object is due.
func bundleFields(b output.Bundle) (data, metadata map[string]any) {
	return clean(b.Data), clean(b.Metadata)
}

// clean copies m without nil values; a nil m becomes an empty map.
func clean(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for key, v := range m {
		if isNil(v) {
			continue
		}
		out[key] = v
	}
	return out
}

// isNil reports whether v would marshal as JSON null.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
		return r.IsNil()
	}
	return false
}
