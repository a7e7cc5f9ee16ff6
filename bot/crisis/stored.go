package crisis

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/vejviser/vejviser/knowledge"
)

// modelMagic begins a stored classifier; the number in it is the version of the encoding.
const modelMagic = "vejviser crisis model 3\n"

// EncodeModel returns the detector's trained classifier in the form NewStored reads back: its
// nonzero weight rows, its biases, which rules training found weak, the known words it learnt
// (see learnKnown), and a SHA-256 checksum of all that. It returns nil for a detector without a
// classifier.
func (d *Detector) EncodeModel() []byte {
	m := d.model
	if m == nil {
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	le := binary.LittleEndian
	u32 := func(v uint32) { buf.Write(le.AppendUint32(nil, v)) }
	f32 := func(v float32) { buf.Write(le.AppendUint32(nil, math.Float32bits(v))) }
	u32(uint32(m.k))
	u32(buckets)
	var rows []uint32
	for f := range buckets {
		for _, w := range m.w[f*m.k : (f+1)*m.k] {
			if w != 0 {
				rows = append(rows, uint32(f))
				break
			}
		}
	}
	u32(uint32(len(rows)))
	for _, f := range rows {
		u32(f)
		for _, w := range m.w[int(f)*m.k : int(f+1)*m.k] {
			f32(w)
		}
	}
	for _, b := range m.b {
		f32(b)
	}
	u32(uint32(len(d.rules)))
	for _, r := range d.rules {
		if r.weak {
			buf.WriteByte(1)
		} else {
			buf.WriteByte(0)
		}
	}
	words := slices.Sorted(maps.Keys(d.lex.known))
	u32(uint32(len(words)))
	for _, w := range words {
		buf.Write(binary.AppendUvarint(nil, uint64(len(w))))
		buf.WriteString(w)
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return buf.Bytes()
}

// ErrStoredModel is returned by NewStored for data that is not a classifier EncodeModel wrote
// for this program's classes and feature space: damaged, cut short, or of another shape.
var ErrStoredModel = errors.New("crisis: not a stored classifier of this shape")

// NewStored builds a detector like New, with the classifier that EncodeModel stored instead of
// training one. The caller must key stored classifiers by everything New trains from (the
// crisis data, opts and the program): NewStored can check the shape of the data, not whether
// it was trained on c.
func NewStored(c knowledge.Crisis, opts Options, data []byte) (*Detector, error) {
	m, weak, known, err := decodeModel(data)
	if err != nil {
		return nil, err
	}
	d := compile(c)
	d.lex.known = known
	if len(weak) != len(d.rules) {
		return nil, fmt.Errorf("%w (%d rules, not %d)", ErrStoredModel, len(weak), len(d.rules))
	}
	for i, w := range weak {
		d.rules[i].weak = w
	}
	d.model = m
	return d, nil
}

func decodeModel(data []byte) (*model, []bool, map[string]bool, error) {
	if len(data) < len(modelMagic)+sha256.Size || string(data[:len(modelMagic)]) != modelMagic {
		return nil, nil, nil, ErrStoredModel
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, nil, nil, fmt.Errorf("%w (checksum differs)", ErrStoredModel)
	}
	r := body[len(modelMagic):]
	le := binary.LittleEndian
	next := func() (uint32, bool) {
		if len(r) < 4 {
			return 0, false
		}
		v := le.Uint32(r)
		r = r[4:]
		return v, true
	}
	k, ok1 := next()
	nb, ok2 := next()
	nrows, ok3 := next()
	if !ok1 || !ok2 || !ok3 || int(k) != nClass || nb != buckets || nrows > buckets ||
		len(r) < int(nrows)*(4+4*int(k))+4*int(k)+4 {
		return nil, nil, nil, ErrStoredModel
	}
	m := &model{k: int(k), w: make([]float32, buckets*int(k)), b: make([]float32, k)}
	last := -1
	for range nrows {
		f, _ := next()
		if int(f) <= last || f >= buckets {
			return nil, nil, nil, ErrStoredModel
		}
		last = int(f)
		for j := range int(k) {
			v, _ := next()
			m.w[int(f)*int(k)+j] = math.Float32frombits(v)
		}
	}
	for j := range int(k) {
		v, _ := next()
		m.b[j] = math.Float32frombits(v)
	}
	nrules, _ := next()
	if uint64(len(r)) < uint64(nrules) {
		return nil, nil, nil, ErrStoredModel
	}
	weak := make([]bool, nrules)
	for i, b := range r[:nrules] {
		if b > 1 {
			return nil, nil, nil, ErrStoredModel
		}
		weak[i] = b == 1
	}
	r = r[nrules:]
	nwords, ok := next()
	if !ok || uint64(nwords) > uint64(len(r)) {
		return nil, nil, nil, ErrStoredModel
	}
	all := string(r) // one allocation; the words are slices of it
	known := make(map[string]bool, nwords)
	for range nwords {
		n, k := binary.Uvarint(r)
		if k <= 0 || n == 0 || n > uint64(len(r)-k) {
			return nil, nil, nil, ErrStoredModel
		}
		at := len(all) - len(r) + k
		known[all[at:at+int(n)]] = true
		r = r[k+int(n):]
	}
	if len(r) != 0 {
		return nil, nil, nil, ErrStoredModel
	}
	return m, weak, known, nil
}
