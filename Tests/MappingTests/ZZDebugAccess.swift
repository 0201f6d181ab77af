@testable import Mapping
extension EmbeddedMapper {
    var debugLexicon: Lexicon { lexicon }
    var debugVocabulary: Vocabulary { vocabulary }
    func debugIndex(_ f: FrameworkID) -> SearchIndex { indexes[f.catalogName]! }
}
