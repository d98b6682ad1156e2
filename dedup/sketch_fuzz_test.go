package dedup

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// FuzzDecodeSketch holds DecodeSketch to its contract on any string:
//   - the sketch of any text (NewSketch of the fuzz input) survives
//     Encode then DecodeSketch with its shingle count and MinHash values;
//   - an arbitrary string either fails with errSketch or decodes to a sketch
//     a text could have (SketchSize values, a shingle count that is not
//     negative) that survives another Encode/DecodeSketch unchanged;
//   - the detector's decodeSketch, reusing dirty buffers, agrees with it.
func FuzzDecodeSketch(f *testing.F) {
	f.Add("")
	f.Add("Moscow demands that Kyiv give up its bid to join NATO and cede the four regions now")
	f.Add("one two")
	f.Add(NewSketch("Kyiv refuses to cede any land, the president's office said on Sunday evening").Encode())
	f.Add("!!")
	f.Add("AAAA")
	f.Add("AAAA\nAAAA")
	// A shingle count beyond int: ten bytes of varint, then SketchSize zeros.
	f.Add(base64.RawStdEncoding.EncodeToString(append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, make([]byte, 4*SketchSize)...)))
	// A non-canonical varint zero (0x80 0x00).
	f.Add(base64.RawStdEncoding.EncodeToString(append([]byte{0x80, 0x00}, make([]byte, 4*SketchSize)...)))
	f.Fuzz(func(t *testing.T, in string) {
		s := NewSketch(in)
		enc := s.Encode()
		d, err := DecodeSketch(enc)
		if err != nil {
			t.Fatalf("DecodeSketch(Encode(NewSketch(%q))): %v", in, err)
		}
		if d.Shingles != s.Shingles || !slices.Equal(d.Mins, s.Mins) {
			t.Fatalf("NewSketch(%q) round trip: got %d shingles %v, want %d %v", in, d.Shingles, d.Mins, s.Shingles, s.Mins)
		}

		got, err := DecodeSketch(in)
		if err != nil {
			if !errors.Is(err, errSketch) {
				t.Fatalf("DecodeSketch(%q) = %v, want errSketch", in, err)
			}
			return
		}
		if in == "" {
			if got.Mins != nil || got.Shingles != 0 {
				t.Fatalf("DecodeSketch(\"\") = %+v, want the zero sketch", got)
			}
			return
		}
		if len(got.Mins) != SketchSize || got.Shingles < 0 {
			t.Fatalf("DecodeSketch(%q) = %d shingles, %d values: not a sketch of any text", in, got.Shingles, len(got.Mins))
		}
		again, err := DecodeSketch(got.Encode())
		if err != nil || again.Shingles != got.Shingles || !slices.Equal(again.Mins, got.Mins) {
			t.Fatalf("DecodeSketch(%q) does not survive Encode/DecodeSketch: %+v, %v", in, again, err)
		}

		buf := []byte("left over from the last candidate")
		mins := make([]uint32, SketchSize)
		for i := range mins {
			mins[i] = 0xdeadbeef
		}
		fast, _, err := decodeSketch(in, buf, mins)
		if err != nil || fast.Shingles != got.Shingles || !slices.Equal(fast.Mins, got.Mins) {
			t.Fatalf("decodeSketch(%q) with used buffers = %+v, %v; DecodeSketch gives %+v", in, fast, err, got)
		}
	})
}

// TestDecodeSketchRejectsOverflowingCount: a stored shingle count beyond
// int decoded to a negative count (found by FuzzDecodeSketch).
func TestDecodeSketchRejectsOverflowingCount(t *testing.T) {
	for _, v := range []uint64{1 << 63, 1<<64 - 1} {
		buf := binary.AppendUvarint(nil, v)
		buf = append(buf, make([]byte, 4*SketchSize)...)
		enc := base64.RawStdEncoding.EncodeToString(buf)
		if s, err := DecodeSketch(enc); !errors.Is(err, errSketch) {
			t.Errorf("DecodeSketch(count %d) = %d shingles, %v; want errSketch", v, s.Shingles, err)
		}
	}
}
