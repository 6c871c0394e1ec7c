package kb

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkBuild measures building the embedded KB from CLDR and the data files: what the first
// Default call in a process costs. It reports the size of the KB and the heap it retains.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	var k *KB
	for b.Loop() {
		var err error
		if k, err = build(); err != nil {
			b.Fatal(err)
		}
	}
	// The heap the built KB keeps alive.
	var before, after runtime.MemStats
	k = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	k, _ = build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-retained")
	b.ReportMetric(float64(k.Len()), "entities")
	b.ReportMetric(float64(len(k.Names())), "names")
	b.ReportMetric(float64(len(k.Roles())), "roles")
}

// BenchmarkDefault measures every later Default call: a copy of the built KB.
func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	if _, err := Default(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	k := mustDefault(b)
	names := []string{"Algeria", "والجزائر", "Saïd Chanegriha", "Moscow", "NATO", "algériennes", "Atlantis"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			k.Lookup(n)
		}
	}
}

func BenchmarkNames(b *testing.B) {
	k := mustDefault(b)
	b.ReportAllocs()
	for b.Loop() {
		k.Names()
	}
}

func BenchmarkHolder(b *testing.B) {
	k := mustDefault(b)
	at := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		k.Holder("dz/foreign-minister", at)
	}
}
