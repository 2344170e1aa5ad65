package web_test

import (
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// responseID is the stored id of the response a form's submission id leads to.
func responseID(sid string) string {
	return surveys.ResponseID(surveys.ReceiptCode(webtest.Secret, sid))
}
