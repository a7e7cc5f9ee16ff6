package index

import "slices"

// learnOrder returns the order in which a pass of the learning (epoch, from 0) reads samples
// whose texts hash to keys (fnvString of the text): by a mix of each key and the epoch, ties in
// the samples' order. Each sample's place depends on its own text only, so adding a question
// set or editing an entry moves the samples it touches and leaves the others' order as it was;
// a shuffle drawn over all samples reorders every one of them, and a single pass of the models
// that learn with it (entryWords, offWords) then reads many questions differently after a small
// edit. Measured 2026-12-06 (fifty-third session), TestDevLeaveOneSetOut over the real-question
// sets: adding nine keywords to two entries changed the first entry shown for 322 of 2,983
// answerable questions with the shuffle; see entryWordsEpochs for the same with this order.
func learnOrder(keys []uint32, epoch int) []int {
	// The mix's high bits, and the sample's place in the low ones to break ties: one sort of
	// plain integers (BenchmarkLearnOrder). 2^24 samples is far beyond any base a folder can
	// hold (knowledge.MaxFolderBytes, 64 MiB, is under 2 million of the shortest questions).
	const placeBits = 24
	if len(keys) >= 1<<placeBits {
		panic("index: learnOrder: too many samples")
	}
	sorted := make([]uint64, len(keys))
	for i, k := range keys {
		sorted[i] = mix64(uint64(k)|uint64(epoch+1)<<32)&^(1<<placeBits-1) | uint64(i)
	}
	slices.Sort(sorted)
	order := make([]int, len(keys))
	for i, v := range sorted {
		order[i] = int(v & (1<<placeBits - 1))
	}
	return order
}

// mix64 is SplitMix64's finaliser: every bit of x moves about half the bits of the result.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
