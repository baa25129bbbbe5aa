"""The directory as an Open Referral UK (HSDS-UK 3.0) API: public, read-only, under /openreferral/."""
