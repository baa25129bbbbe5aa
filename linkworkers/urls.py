"""URLs of the link workers' module: public referral forms, and staff pages under /staff/ (MFA enforced there)."""

from .views import (caseload, connections, inbox, intake, kpis, measures, oversight, plans, records, reports,
                    summaries, triage, unmet)

app_name = "linkworkers"

urlpatterns = [
    *intake.urlpatterns,  # refer/, refer-yourself/, staff/referrals/new/
    *triage.urlpatterns,  # staff/referrals/, staff/referrals/<uuid>/ ...
    *caseload.urlpatterns,  # staff/caseload/, staff/team/cover/
    *records.urlpatterns,  # staff/people/<uuid>/ and what is recorded there
    *plans.urlpatterns,  # staff/episodes/<uuid>/what-matters/new/, staff/episodes/<uuid>/plan/...
    *measures.urlpatterns,  # staff/people/<uuid>/wellbeing/, staff/episodes/<uuid>/wellbeing/...
    *summaries.urlpatterns,  # staff/episodes/<uuid>/summary/...
    *oversight.urlpatterns,  # staff/people/<uuid>/audit/, staff/break-glass/
    *connections.urlpatterns,  # staff/episodes/<uuid>/find-a-service/, staff/episodes/<uuid>/connections/...
    *inbox.urlpatterns,  # your-organisations/referrals/ (community groups; MFA enforced there too)
    *unmet.urlpatterns,  # staff/episodes/<uuid>/unmet-needs/new/, staff/episodes/<uuid>/shortlist/send/
    *reports.urlpatterns,  # staff/reports/gaps/ (commissioners and site admins)
    *kpis.urlpatterns,  # staff/reports/outcomes/
]
