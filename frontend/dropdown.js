// Bootstrap Italia's dropdown (with Popper), for the SPID button's list of identity providers
// (templates/identity/buttons.html, data-bs-toggle="dropdown"): its module registers the data API on import.
import "bootstrap-italia/dist/plugins/dropdown.js";
