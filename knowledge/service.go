package knowledge

import "time"

// checkServiceEvidence checks what a service says about its evidence: its status, who
// confirmed it and how, when its source was read and how old that source is.
func (l *loader) checkServiceEvidence(name string, s Service, at func(string) pos, key string) {
	switch s.Status {
	case StatusConfirmed:
		if (s.Verified.IsZero() || (s.VerifiedHow != VerifiedLivePage && s.VerifiedHow != VerifiedByPhone)) && !l.c.isBad(name, key+".verified") {
			l.c.add(name, at("status"), "a %q service needs verified (the date) and verified_how = %q or %q: a person confirmed it on the live page or by calling; what a stored copy shows is %q",
				StatusConfirmed, VerifiedLivePage, VerifiedByPhone, StatusSeen)
		}
	case StatusSeen:
		if s.Source == "" {
			l.c.add(name, at("status"), "a %q service needs the source it was seen on", StatusSeen)
		}
	case StatusKommuneSite, StatusUnconfirmed:
	case "":
		if l.c.isBad(name, key+".status") {
			break // reported while decoding
		}
		l.c.add(name, at("name"), "missing required key \"status\" (%q, %q, %q or %q)", StatusConfirmed, StatusSeen, StatusKommuneSite, StatusUnconfirmed)
	default:
		l.c.add(name, at("status"), "unknown status %q (use %q, %q, %q or %q)", s.Status, StatusConfirmed, StatusSeen, StatusKommuneSite, StatusUnconfirmed)
	}
	if s.Status != StatusConfirmed && (!s.Verified.IsZero() || s.VerifiedHow != "") {
		l.c.add(name, at("verified"), "verified is a person's confirmation and needs status = %q; write the day you read the source as read = …", StatusConfirmed)
	}
	if (s.Phone != "" || s.Address != "") && s.Source == "" {
		l.c.add(name, at("phone"), "a phone number or address needs the source it was seen on")
	}
	for field, d := range map[string]time.Time{"verified": s.Verified, "read": s.Read} {
		if !d.IsZero() && d.After(l.now.Add(24*time.Hour)) {
			l.c.add(name, at(field), "%s date %s is in the future", field, d.Format(time.DateOnly))
		}
	}
	if s.Source != "" && s.SourceDate == "" && s.Status != StatusUnconfirmed {
		l.c.add(name, at("source"), "source_date is missing: write the source page's own date (\"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\") or %q", Undated)
	}
	if s.SourceDate != "" && s.SourceDate != Undated {
		if _, ok := ParseSourceDate(s.SourceDate); !ok {
			l.c.add(name, at("source_date"), "source_date %q: write \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or %q", s.SourceDate, Undated)
		}
	}
	if d, ok := s.EvidenceDate(); ok && s.Status != StatusUnconfirmed && d.AddDate(ServiceEvidenceYears, 0, 0).Before(l.now) &&
		(s.Verified.IsZero() || s.Verified.AddDate(ServiceEvidenceYears, 0, 0).Before(l.now)) {
		l.c.warn(name, at("source_date"), "service %q: its evidence is from %d, more than %d years old; confirm it on the live page or by calling",
			s.Name, d.Year(), ServiceEvidenceYears)
	}
}
