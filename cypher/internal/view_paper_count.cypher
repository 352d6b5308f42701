// How many papers the graph holds within the dates asked for: which view `kg export html`
// draws by default (the concept map above 2,000 papers) and the N of the map's idf.
// @param since string = ""  ISO day: papers on or after it ("": undated papers too)
// @param until string = 9999-99-99  ISO day: papers on or before it
MATCH (p:Paper)
WITH coalesce(p.date, '') AS date
WHERE date >= $since AND date <= $until
RETURN count(*) AS papers
