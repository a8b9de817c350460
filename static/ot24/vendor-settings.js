// Read by the Bootstrap Italia bundle as it loads (base.html loads this file first). The bundle's video
// player (video.js, unused by the portal) would add a <style> element to every page, which the CSP refuses
// (no inline styles): it is told not to.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
