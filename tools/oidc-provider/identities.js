// Made-up people for the demo provider. None of them exists; the BSNs are in the 99999xxxx
// range that Dutch test environments use and pass the elfproef (11-test).

// The provider's way of saying "signed in with two factors": the OpenID PAPE multi-factor
// policy as `acr`, and RFC 8176 method names as `amr` (pwd = password, otp = one-time code).
export const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
export const PASSWORD_ACR = 'urn:mantelzorg:demo:acr:password';
// DigiD's "Midden" level (the app or SMS code), as DigiD brokers put it in `acr`.
export const DIGID_MIDDEN = 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract';

// Staff of the organisation, for the back-office client. `groups` is what an Entra ID or
// Keycloak group claim carries; the app maps two of these groups to its roles.
export const STAFF = {
  'demo-consulent': {
    label: 'Carla de Consulent (groep mantelzorg-consulenten, twee stappen)',
    acr: MFA_ACR,
    amr: ['pwd', 'otp'],
    claims: {
      given_name: 'Carla', family_name: 'de Consulent', name: 'Carla de Consulent',
      email: 'carla.consulent@organisatie.example', groups: ['mantelzorg-consulenten'],
    },
  },
  'demo-coordinator': {
    label: 'Cor de Coördinator (groep mantelzorg-coordinatoren, twee stappen)',
    acr: MFA_ACR,
    amr: ['pwd', 'otp'],
    claims: {
      given_name: 'Cor', family_name: 'de Coördinator', name: 'Cor de Coördinator',
      email: 'cor.coordinator@organisatie.example',
      groups: ['medewerkers', 'mantelzorg-coordinatoren'],
    },
  },
  'demo-burgerzaken': {
    label: 'Bas van Burgerzaken (groep burgerzaken: geen toegang)',
    acr: MFA_ACR,
    amr: ['pwd', 'otp'],
    claims: {
      given_name: 'Bas', family_name: 'van Burgerzaken', name: 'Bas van Burgerzaken',
      email: 'bas.burgerzaken@organisatie.example', groups: ['burgerzaken'],
    },
  },
  'demo-zonder-mfa': {
    label: 'Zara Zonder-Code (consulent, alleen wachtwoord)',
    acr: PASSWORD_ACR,
    amr: ['pwd'],
    claims: {
      given_name: 'Zara', family_name: 'Zonder-Code', name: 'Zara Zonder-Code',
      email: 'zara.zondercode@organisatie.example', groups: ['mantelzorg-consulenten'],
    },
  },
};

// Residents, for the "DigiD broker" client. A real broker gives the BSN only; Machtigen adds
// the BSN of the person the signed-in representative acts for.
export const RESIDENTS = {
  'digid-mantelzorger': {
    label: 'Mantelzorger met DigiD (BSN 999990019)',
    acr: DIGID_MIDDEN,
    amr: ['digid'],
    claims: { bsn: '999990019' },
  },
  'digid-nieuw': {
    label: 'Inwoner, nog niet ingeschreven (BSN 999990020)',
    acr: DIGID_MIDDEN,
    amr: ['digid'],
    claims: { bsn: '999990020' },
  },
  'digid-gemachtigde': {
    label: 'Gemachtigde (BSN 999990044) namens een mantelzorger (BSN 999990056)',
    acr: DIGID_MIDDEN,
    amr: ['digid'],
    claims: { bsn: '999990044', representee_bsn: '999990056' },
  },
};

export const ALL = { ...STAFF, ...RESIDENTS };
