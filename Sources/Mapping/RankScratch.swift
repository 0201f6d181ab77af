/// Working memory of ``SearchIndex/rank(_:limit:boosts:include:lexicalDepth:scratch:)``, reused from text to
/// text so a ranking neither allocates nor clears a catalogue-sized array: every control's score (all zero
/// between rankings, the ranking resets the ones it touched) and the list of controls it touched.
struct RankScratch {
    /// Score per control index; zero outside a ranking.
    var scores: [Float] = []
    /// The controls a ranking touched, in the order they entered (only the first entries are meaningful).
    var touched: [Int32] = []

    /// Creates empty working memory (it grows to the largest catalogue ranked).
    init() {}

    /// Makes room for a catalogue of `controls` controls plus `extra` included ones (and one spare slot).
    mutating func reserve(controls: Int, extra: Int) {
        if scores.count < controls {
            scores += repeatElement(0, count: controls - scores.count)
        }
        if touched.count < controls + extra + 1 {
            touched += repeatElement(0, count: controls + extra + 1 - touched.count)
        }
    }
}
