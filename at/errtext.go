package at

// CMEText returns the standard text of +CME ERROR code (3GPP TS 27.007
// §9.2.1 general errors, §9.2.2 GPRS-related errors), or "" for a code
// it does not list.
func CMEText(code int) string {
	switch code {
	case 0:
		return "phone failure"
	case 1:
		return "no connection to phone"
	case 2:
		return "phone-adaptor link reserved"
	case 3:
		return "operation not allowed"
	case 4:
		return "operation not supported"
	case 5:
		return "PH-SIM PIN required"
	case 6:
		return "PH-FSIM PIN required"
	case 7:
		return "PH-FSIM PUK required"
	case 10:
		return "SIM not inserted"
	case 11:
		return "SIM PIN required"
	case 12:
		return "SIM PUK required"
	case 13:
		return "SIM failure"
	case 14:
		return "SIM busy"
	case 15:
		return "SIM wrong"
	case 16:
		return "incorrect password"
	case 17:
		return "SIM PIN2 required"
	case 18:
		return "SIM PUK2 required"
	case 20:
		return "memory full"
	case 21:
		return "invalid index"
	case 22:
		return "not found"
	case 23:
		return "memory failure"
	case 24:
		return "text string too long"
	case 25:
		return "invalid characters in text string"
	case 26:
		return "dial string too long"
	case 27:
		return "invalid characters in dial string"
	case 30:
		return "no network service"
	case 31:
		return "network timeout"
	case 32:
		return "network not allowed - emergency calls only"
	case 40:
		return "network personalization PIN required"
	case 50:
		return "incorrect parameters"
	case 100:
		return "unknown"
	case 103:
		return "Illegal MS"
	case 106:
		return "Illegal ME"
	case 107:
		return "GPRS services not allowed"
	case 111:
		return "PLMN not allowed"
	case 112:
		return "Location area not allowed"
	case 132:
		return "service option not supported"
	case 133:
		return "requested service option not subscribed"
	case 134:
		return "service option temporarily out of order"
	case 148:
		return "unspecified GPRS error"
	case 149:
		return "PDP authentication failure"
	}
	return ""
}

// CMSText returns the standard text of +CMS ERROR code (3GPP TS 27.005
// §3.2.5) for the codes that are not about a particular message, or ""
// for a code it does not list.
func CMSText(code int) string {
	switch code {
	case 300:
		return "ME failure"
	case 301:
		return "SMS service of ME reserved"
	case 302:
		return "operation not allowed"
	case 303:
		return "operation not supported"
	case 304:
		return "invalid PDU mode parameter"
	case 305:
		return "invalid text mode parameter"
	case 310:
		return "SIM not inserted"
	case 311:
		return "SIM PIN required"
	case 312:
		return "PH-SIM PIN required"
	case 313:
		return "SIM failure"
	case 314:
		return "SIM busy"
	case 315:
		return "SIM wrong"
	case 316:
		return "SIM PUK required"
	case 317:
		return "SIM PIN2 required"
	case 318:
		return "SIM PUK2 required"
	case 320:
		return "memory failure"
	case 321:
		return "invalid memory index"
	case 322:
		return "memory full"
	case 330:
		return "SMSC address unknown"
	case 331:
		return "no network service"
	case 332:
		return "network timeout"
	case 500:
		return "unknown error"
	}
	return ""
}
