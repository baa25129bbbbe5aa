"""Link workers' workplace: teams now; referrals, caseloads, plans and outcomes to follow."""
