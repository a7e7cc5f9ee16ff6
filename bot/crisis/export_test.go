package crisis

import "github.com/vejviser/vejviser/knowledge"

// CrossValidateOneModel is CrossValidate with one classifier per fold instead of the
// defaultTraining.models averaged ones, for TestHeldOutRecall: averaging makes a detector's
// cards steadier from one training to the next but leaves how many it finds, and how many false
// alarms it raises, level (see defaultTraining), and it took most of the package's test time.
// It holds out only the folds named, or every fold when none is.
func CrossValidateOneModel(c knowledge.Crisis, opts Options, k int, folds ...int) []Held {
	t := defaultTraining
	t.models = 1
	opts.training = &t
	if len(folds) == 0 {
		return CrossValidate(c, opts, k)
	}
	return crossValidateFolds(c, opts, k, folds)
}
