// The papers that mention each of the given entities, those naming it most often first
// (the co-mention counts and the paper lists of the concept map and the concepts view).
// $keys: entity keys
// @param since string = ""  ISO day: papers on or after it ("": undated papers too)
// @param until string = 9999-99-99  ISO day: papers on or before it
UNWIND $keys AS key
MATCH (e:Entity {key: key})<-[m:MENTIONS]-(p:Paper)
WITH key, p.id AS paper, coalesce(p.date, '') AS date, m.count AS count
WHERE date >= $since AND date <= $until
WITH key, paper, count
ORDER BY count DESC, paper
RETURN key, collect(paper) AS papers
