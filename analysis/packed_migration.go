package analysis

import (
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// PackedMigration gives the packed data of tallies and answer chunks,
// written before it had a version byte, the byte of its first format
// (docs/STORAGE.md): the data itself is unchanged, so nothing needs a
// retally. Such data began with '{' (a tally's JSON) or 0x1f (a chunk's
// gzip header), never with a version byte.
func PackedMigration() store.Migration {
	return store.Migration{
		Name:        "packed-version-byte",
		Collections: []string{colChunks},
		Prefixes:    []string{colTallies + "_"},
		Convert:     versionPackedData,
	}
}

func versionPackedData(raw bson.Raw) (bson.Raw, error) {
	_, data, ok := raw.Lookup("data").BinaryOK()
	if !ok || len(data) == 0 || (data[0] != '{' && data[0] != 0x1f) {
		return nil, nil
	}
	var doc bson.D
	if err := bson.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	for i, e := range doc {
		if e.Key == "data" {
			// chunkV1 and tallyV1 are both 1.
			doc[i].Value = bson.Binary{Data: append([]byte{chunkV1}, data...)}
		}
	}
	return bson.Marshal(doc)
}
